import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { GitopsLiveStateProvider } from '@goldenpath/plugin-gitops-node';
import type { HistoryStore } from '../history/HistoryStore';
import { databaseErrorCode, redactUrlsForLog, stripUrls } from '../redact';
import type { SnapshotStore } from './SnapshotStore';

/**
 * Polls one provider into the snapshot. Failures keep the last known state
 * and are logged once per change of error, not once per poll. An
 * upstream's error is stored (and so answered) without URLs and logged with
 * scheme and host only; a database failure is logged by its code only.
 */
export async function pollOnce(options: {
  provider: GitopsLiveStateProvider;
  store: SnapshotStore;
  /** Records the images each resource runs, after the snapshot. */
  history?: HistoryStore;
  logger: LoggerService;
  signal: AbortSignal;
  now?: () => Date;
  /** Carried from poll to poll, so a database outage is logged once. */
  memory?: { databaseError?: string; historyError?: string };
}): Promise<void> {
  const { provider, store, logger, signal } = options;
  const now = options.now ?? (() => new Date());
  const memory = options.memory ?? {};
  const databaseFailed = (e: unknown) => {
    const code = databaseErrorCode(e);
    if (memory.databaseError !== code) {
      logger.warn(
        `${provider.displayName}: the GitOps status database did not answer (${code}); the snapshot keeps its last state`,
      );
    }
    memory.databaseError = code;
  };
  let resources;
  try {
    resources = await provider.list({ signal });
  } catch (e) {
    const raw = String((e as Error)?.message ?? e);
    const detail = (e as { detail?: unknown })?.detail;
    const message = stripUrls(raw);
    let previous;
    try {
      previous = await store.recordFailure(provider.id, message, now());
      memory.databaseError = undefined;
    } catch (dbError) {
      databaseFailed(dbError);
      return;
    }
    if (!previous || previous.ok || previous.error !== message) {
      logger.warn(
        `${provider.displayName}: poll failed: ${redactUrlsForLog(raw)}${
          typeof detail === 'string' ? ` (${redactUrlsForLog(detail)})` : ''
        }; serving the last known state`,
      );
    }
    return;
  }
  const at = now();
  let outcome;
  try {
    outcome = await store.recordSuccess(provider.id, resources, at);
    memory.databaseError = undefined;
  } catch (dbError) {
    databaseFailed(dbError);
    return;
  }
  if (outcome.recovered) {
    logger.info(
      `${provider.displayName}: answering again (${resources.length} resources)`,
    );
  }
  for (const { resource, previous } of outcome.changed) {
    if (previous) {
      logger.info(
        `${provider.displayName}: ${resource.key} is now ${resource.sync}/${resource.health} (was ${previous.sync}/${previous.health})`,
      );
    }
  }
  if (!options.history) return;
  // Right after the snapshot, in this globally scheduled task: one writer
  // across replicas. A poll that changed no image writes nothing; a failed
  // write keeps no digest, so the next poll records what this one saw.
  try {
    await options.history.recordPoll(provider.id, resources, at);
    memory.historyError = undefined;
  } catch (dbError) {
    const code = databaseErrorCode(dbError);
    if (memory.historyError !== code) {
      logger.warn(
        `${provider.displayName}: the GitOps history was not recorded (${code}); the next poll records it`,
      );
    }
    memory.historyError = code;
  }
}

/**
 * Schedules one poller per provider with the backend scheduler. `global`
 * scope: across backend replicas sharing a database, one of them polls.
 */
export async function schedulePollers(options: {
  providers: GitopsLiveStateProvider[];
  scheduler: SchedulerService;
  store: SnapshotStore;
  history?: HistoryStore;
  logger: LoggerService;
  onPolled: () => void;
}) {
  const { providers, scheduler, store, history, logger, onPolled } = options;
  for (const provider of providers) {
    const memory = {};
    await scheduler.scheduleTask({
      id: `gitops-poll-${provider.id}`,
      scope: 'global',
      frequency: { milliseconds: provider.pollIntervalMs },
      timeout: { milliseconds: Math.max(60_000, provider.pollIntervalMs * 2) },
      initialDelay: { milliseconds: 0 },
      fn: async signal => {
        await pollOnce({
          provider,
          store,
          history,
          logger,
          signal: signal as AbortSignal,
          memory,
        });
        onPolled();
      },
    });
  }
}
