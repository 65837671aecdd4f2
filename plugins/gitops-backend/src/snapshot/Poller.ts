import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { GitopsLiveStateProvider } from '@goldenpath/plugin-gitops-node';
import type { SnapshotStore } from './SnapshotStore';

/**
 * Polls one provider into the snapshot. Failures keep the last known state
 * and are logged once per change of error, not once per poll.
 */
export async function pollOnce(options: {
  provider: GitopsLiveStateProvider;
  store: SnapshotStore;
  logger: LoggerService;
  signal: AbortSignal;
  now?: () => Date;
}): Promise<void> {
  const { provider, store, logger, signal } = options;
  const now = options.now ?? (() => new Date());
  try {
    const resources = await provider.list({ signal });
    const { changed, recovered } = await store.recordSuccess(
      provider.id,
      resources,
      now(),
    );
    if (recovered) {
      logger.info(
        `${provider.displayName}: answering again (${resources.length} resources)`,
      );
    }
    for (const { resource, previous } of changed) {
      if (previous) {
        logger.info(
          `${provider.displayName}: ${resource.key} is now ${resource.sync}/${resource.health} (was ${previous.sync}/${previous.health})`,
        );
      }
    }
  } catch (e) {
    const message = (e as Error).message;
    const previous = await store.recordFailure(provider.id, message, now());
    if (!previous || previous.ok || previous.error !== message) {
      logger.warn(
        `${provider.displayName}: poll failed: ${message}; serving the last known state`,
      );
    }
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
  logger: LoggerService;
  onPolled: () => void;
}) {
  const { providers, scheduler, store, logger, onPolled } = options;
  for (const provider of providers) {
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
          logger,
          signal: signal as AbortSignal,
        });
        onPolled();
      },
    });
  }
}
