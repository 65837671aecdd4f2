import type {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { GitopsLiveStateProvider } from '@goldenpath/plugin-gitops-node';
import type { HistoryStore } from '../history/HistoryStore';
import { databaseErrorCode, redactUrlsForLog, stripUrls } from '../redact';
import type { SnapshotStore, StoredImage } from './SnapshotStore';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

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
  /** Milliseconds, for the poll's duration. */
  clock?: () => number;
}): Promise<{
  ok: boolean;
  resources: number;
  /** The provider's resources as stored, when this poll changed them. */
  image?: StoredImage;
}> {
  const { provider, store, logger, signal } = options;
  const now = options.now ?? (() => new Date());
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  // One line per poll: the provider's display name, counts and time only;
  // never a URL or a credential.
  const took = () => `${Math.round(clock() - started)} ms`;
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
      return { ok: false, resources: 0 };
    }
    logger.debug(`${provider.displayName}: poll failed after ${took()}`);
    if (!previous || previous.ok || previous.error !== message) {
      logger.warn(
        `${provider.displayName}: poll failed: ${redactUrlsForLog(raw)}${
          typeof detail === 'string' ? ` (${redactUrlsForLog(detail)})` : ''
        }; serving the last known state`,
      );
    }
    return { ok: false, resources: 0 };
  }
  const at = now();
  let outcome;
  try {
    outcome = await store.recordSuccess(provider.id, resources, at);
    memory.databaseError = undefined;
  } catch (dbError) {
    databaseFailed(dbError);
    return { ok: false, resources: resources.length };
  }
  // At info when the snapshot changed, else at debug: an idle fleet stays
  // quiet at the default level.
  const cycle = `${provider.displayName}: polled ${
    resources.length
  } resources in ${took()} (list and store); ${
    outcome.updated
      ? `snapshot updated (${outcome.written} rows written, ${outcome.deleted} deleted), ${outcome.changed.length} changed sync or health`
      : 'unchanged'
  }`;
  if (outcome.updated) logger.info(cycle);
  else logger.debug(cycle);
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
  const result = {
    ok: true,
    resources: resources.length,
    ...(outcome.image ? { image: outcome.image } : {}),
  };
  if (!options.history) return result;
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
  return result;
}

/**
 * Times full poll cycles in one replica: a cycle begins when a poll starts
 * with none under way in the cycle, and ends when every provider has
 * finished a poll since. One info line per cycle, the figure a platform
 * team compares with the schedule's frequency. Providers another replica
 * polls (global scope) never finish here, so with several replicas a
 * replica logs cycles only when it polled them all.
 */
export class PollCycle {
  private startedAt?: number;
  private readonly finished = new Set<string>();
  private resources = 0;
  private failed = 0;

  constructor(
    private readonly providerIds: string[],
    private readonly logger: LoggerService,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  started() {
    this.startedAt ??= this.clock();
  }

  finishedPoll(
    providerId: string,
    outcome: { ok: boolean; resources: number },
  ) {
    if (this.startedAt === undefined || this.finished.has(providerId)) return;
    this.finished.add(providerId);
    this.resources += outcome.resources;
    if (!outcome.ok) this.failed++;
    if (!this.providerIds.every(id => this.finished.has(id))) return;
    const ms = Math.round(this.clock() - this.startedAt);
    this.logger.info(
      `GitOps poll cycle: ${this.providerIds.length} providers, ${
        this.resources
      } resources in ${ms} ms${
        this.failed ? `; ${this.failed} failed, serving their last state` : ''
      }`,
    );
    this.startedAt = undefined;
    this.finished.clear();
    this.resources = 0;
    this.failed = 0;
  }
}

/** A provider's schedule when it gives neither `schedule` nor `pollIntervalMs`. */
const DEFAULT_POLL_INTERVAL_MS = 30_000;

/**
 * The schedule a provider is polled on: its own `schedule`, else one from
 * the older `pollIntervalMs` (with the timeout that always had), always
 * `scope: 'global'` so one replica polls. Pure.
 */
export function pollSchedule(
  provider: GitopsLiveStateProvider,
): SchedulerServiceTaskScheduleDefinition & { scope: 'global' } {
  if (provider.schedule) return { ...provider.schedule, scope: 'global' };
  const intervalMs = provider.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  return {
    frequency: { milliseconds: intervalMs },
    timeout: { milliseconds: Math.max(60_000, intervalMs * 2) },
    initialDelay: { milliseconds: 0 },
    scope: 'global',
  };
}

/** A schedule's frequency in milliseconds when it is a duration, not cron or manual. Pure. */
export function frequencyMs(
  schedule: SchedulerServiceTaskScheduleDefinition,
): number | undefined {
  const frequency = schedule.frequency as unknown;
  if (!frequency || typeof frequency !== 'object') return undefined;
  if ('toMillis' in frequency && typeof frequency.toMillis === 'function') {
    return (frequency as { toMillis(): number }).toMillis();
  }
  if ('cron' in frequency || 'trigger' in frequency) return undefined;
  return durationToMilliseconds(frequency as HumanDuration);
}

/**
 * Whether a replica's first poll of a provider can wait for the next one
 * on schedule: the stored snapshot was polled successfully less than one
 * interval ago (before a restart, or by another replica). A restart
 * re-arms global tasks at once; without this, every rolling restart would
 * list every instance again, competing with the start-up for the cores.
 * Pure.
 */
export function recentlyPolled(
  state: { ok: boolean; lastSuccessAt?: string } | undefined,
  intervalMs: number | undefined,
  now: number,
): boolean {
  const age = pollAgeMs(state, now);
  return age !== undefined && intervalMs !== undefined && age < intervalMs;
}

/** How long ago a provider's last successful poll was, when it succeeded last. Pure. */
function pollAgeMs(
  state: { ok: boolean; lastSuccessAt?: string } | undefined,
  now: number,
): number | undefined {
  if (!state?.ok || !state.lastSuccessAt) return undefined;
  const age = now - Date.parse(state.lastSuccessAt);
  return age >= 0 ? age : undefined;
}

/**
 * At most `limit` polls at once in this replica. A poll that waits for a
 * slot gives up when its task's signal aborts (the schedule's timeout
 * passed, or the backend stops): the wait counts against the timeout.
 */
export class PollSlots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {}

  /** Polls running now; for tests and logs. */
  get active() {
    return this.running;
  }

  async run<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        if (signal.aborted) {
          reject(new Error('aborted while waiting for a polling slot'));
          return;
        }
        const waiter = {
          start: () => {
            signal.removeEventListener('abort', waiter.abort);
            resolve();
          },
          abort: () => {
            const i = this.waiting.indexOf(waiter.start);
            if (i >= 0) this.waiting.splice(i, 1);
            reject(new Error('aborted while waiting for a polling slot'));
          },
        };
        signal.addEventListener('abort', waiter.abort, { once: true });
        this.waiting.push(waiter.start);
      });
    } else {
      this.running++;
    }
    try {
      return await fn();
    } finally {
      // The slot passes straight to the next waiter, or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/**
 * Schedules one task per provider with the backend scheduler, on the
 * provider's schedule ({@link pollSchedule}). `global` scope: across backend
 * replicas sharing a database, one of them polls each provider. The
 * scheduler runs the tasks independently; `slots` caps how many poll at
 * once in one replica (`gitops.polling.concurrency`), the others wait for a
 * slot. Across R replicas at most R × the cap poll at once.
 */
export async function schedulePollers(options: {
  providers: GitopsLiveStateProvider[];
  scheduler: SchedulerService;
  store: SnapshotStore;
  history?: HistoryStore;
  logger: LoggerService;
  /** After each poll; with what it stored when it changed the snapshot. */
  onPolled: (image?: StoredImage) => void;
  slots: PollSlots;
}) {
  const { providers, scheduler, store, history, logger, onPolled, slots } =
    options;
  const cycle = new PollCycle(
    providers.map(p => p.id),
    logger,
  );
  for (const provider of providers) {
    const memory = {};
    const schedule = pollSchedule(provider);
    const intervalMs = frequencyMs(schedule);
    let first = true;
    await scheduler.scheduleTask({
      id: `gitops-poll-${provider.id}`,
      ...schedule,
      fn: async abortSignal => {
        const signal = abortSignal as AbortSignal;
        if (first) {
          first = false;
          const state = await store
            .readProviderStates()
            .then(states => states.find(p => p.providerId === provider.id))
            .catch(() => undefined);
          const now = Date.now();
          if (recentlyPolled(state, intervalMs, now)) {
            logger.info(
              `${provider.displayName}: polled ${Math.round(
                pollAgeMs(state, now)! / 1000,
              )} s ago (before this backend started, or by another replica); answering from the stored snapshot until the next poll on schedule`,
            );
            return;
          }
        }
        let outcome;
        try {
          outcome = await slots.run(signal, () => {
            cycle.started();
            return pollOnce({
              provider,
              store,
              history,
              logger,
              signal,
              memory,
            });
          });
          cycle.finishedPoll(provider.id, outcome);
        } catch (e) {
          // Only the wait throws; pollOnce handles its own failures.
          logger.debug(
            `${provider.displayName}: poll skipped: ${
              (e as Error).message
            }; the next one is on schedule`,
          );
          return;
        }
        onPolled(outcome.image);
      },
    });
  }
}
