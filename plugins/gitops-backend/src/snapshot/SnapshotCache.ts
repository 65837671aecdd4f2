import type { LoggerService } from '@backstage/backend-plugin-api';
import { databaseErrorCode } from '../redact';
import type {
  ProviderState,
  SnapshotResource,
  SnapshotStore,
} from './SnapshotStore';

export interface Snapshot {
  providers: Map<string, ProviderState>;
  /**
   * Per provider, its resources by each `key=value` label, so matching an
   * entity's selector does not scan the whole snapshot on every request.
   */
  byLabel: Map<string, Map<string, SnapshotResource[]>>;
  byProvider: Map<string, SnapshotResource[]>;
  /**
   * Set when the database does not answer and this is the copy loaded
   * before: since when it fails, and when the copy was loaded.
   */
  stale?: { since: string; loadedAt: string };
  /** Set when the database does not answer and no copy was ever loaded. */
  unavailable?: { since: string };
}

/** Builds the label index once per load. Exported for tests. */
export function indexSnapshot(
  resources: SnapshotResource[],
  providers: ProviderState[],
): Snapshot {
  const byLabel = new Map<string, Map<string, SnapshotResource[]>>();
  const byProvider = new Map<string, SnapshotResource[]>();
  for (const row of resources) {
    let labels = byLabel.get(row.providerId);
    if (!labels) {
      labels = new Map();
      byLabel.set(row.providerId, labels);
      byProvider.set(row.providerId, []);
    }
    byProvider.get(row.providerId)!.push(row);
    for (const [key, value] of Object.entries(row.resource.labels)) {
      const pair = `${key}=${value}`;
      const list = labels.get(pair);
      if (list) list.push(row);
      else labels.set(pair, [row]);
    }
  }
  return {
    providers: new Map(providers.map(p => [p.providerId, p])),
    byLabel,
    byProvider,
  };
}

const resourcesSignature = (providers: ProviderState[]) =>
  providers
    .map(p => `${p.providerId}=${p.resourcesVersion ?? ''}`)
    .sort()
    .join(',');

/**
 * The snapshot as requests read it, kept in memory. Requests never wait for
 * the database once it is loaded: after `maxAgeMs` a request starts a
 * refresh in the background (other replicas may have polled) and is
 * answered from the copy in hand. A refresh reads the providers' states (one
 * small query) and reloads the resources only when their versions changed.
 * After a poll in this process, `invalidate` refreshes at once and requests
 * wait for that refresh, so they see what the poll found.
 */
export class SnapshotCache {
  private current?: { at: number; snapshot: Snapshot; signature: string };
  private refreshing?: Promise<Snapshot>;
  private queued?: Promise<Snapshot>;
  private forced = false;
  private failure?: { since: string; code: string };

  constructor(
    private readonly store: SnapshotStore,
    private readonly maxAgeMs: number,
    private readonly logger?: LoggerService,
  ) {}

  invalidate() {
    this.forced = true;
    this.refresh().catch(() => {});
  }

  /**
   * The snapshot; never rejects. While the database does not answer it is
   * the last copy loaded, marked `stale`, or an empty one marked
   * `unavailable`.
   */
  async get(): Promise<Snapshot> {
    if (!this.current || this.forced) {
      try {
        return await this.refresh();
      } catch {
        return this.lastKnown();
      }
    }
    if (Date.now() - this.current.at >= this.maxAgeMs) {
      // Stale while revalidating; a failed refresh is retried by the next
      // request after maxAgeMs.
      this.refresh().catch(() => {});
    }
    return this.lastKnown();
  }

  private lastKnown(): Snapshot {
    const { current, failure } = this;
    if (!current) {
      return {
        providers: new Map(),
        byLabel: new Map(),
        byProvider: new Map(),
        unavailable: { since: failure?.since ?? new Date().toISOString() },
      };
    }
    if (!failure) return current.snapshot;
    return {
      ...current.snapshot,
      stale: {
        since: failure.since,
        loadedAt: new Date(current.at).toISOString(),
      },
    };
  }

  private refresh(): Promise<Snapshot> {
    if (this.refreshing && this.forced) {
      // The refresh under way may have started before the poll: run one more.
      this.queued ??= this.refreshing
        .catch(() => undefined)
        .then(() => {
          this.queued = undefined;
          return this.refresh();
        });
      return this.queued;
    }
    this.refreshing ??= this.load()
      .then(
        snapshot => {
          if (this.failure) {
            this.logger?.info('GitOps status database: answering again');
          }
          this.failure = undefined;
          return snapshot;
        },
        e => {
          // The driver's message names hosts, users and SQL: the code only.
          const code = databaseErrorCode(e);
          if (this.failure?.code !== code) {
            this.logger?.warn(
              `GitOps status database did not answer (${code}); serving the last snapshot loaded, marked stale`,
            );
          }
          this.failure = {
            since: this.failure?.since ?? new Date().toISOString(),
            code,
          };
          throw e;
        },
      )
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  private async load(): Promise<Snapshot> {
    this.forced = false;
    const current = this.current;
    if (current) {
      const providers = await this.store.readProviderStates();
      if (resourcesSignature(providers) === current.signature) {
        const snapshot: Snapshot = {
          ...current.snapshot,
          providers: new Map(providers.map(p => [p.providerId, p])),
        };
        this.current = {
          at: Date.now(),
          snapshot,
          signature: current.signature,
        };
        return snapshot;
      }
    }
    const { resources, providers } = await this.store.readAll();
    const snapshot = indexSnapshot(resources, providers);
    this.current = {
      at: Date.now(),
      snapshot,
      signature: resourcesSignature(providers),
    };
    return snapshot;
  }
}
