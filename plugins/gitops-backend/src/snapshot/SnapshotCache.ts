import type {
  ProviderState,
  SnapshotResource,
  SnapshotStore,
} from './SnapshotStore';

export interface Snapshot {
  resources: SnapshotResource[];
  providers: Map<string, ProviderState>;
}

/**
 * The snapshot as requests read it: loaded from the database at most once
 * per `maxAgeMs` (other replicas may have polled), and at once after a poll
 * in this process. Concurrent requests share one load.
 */
export class SnapshotCache {
  private current?: { at: number; snapshot: Snapshot };
  private loading?: Promise<Snapshot>;

  constructor(
    private readonly store: SnapshotStore,
    private readonly maxAgeMs: number,
  ) {}

  invalidate() {
    this.current = undefined;
  }

  async get(): Promise<Snapshot> {
    if (this.current && Date.now() - this.current.at < this.maxAgeMs) {
      return this.current.snapshot;
    }
    this.loading ??= this.store
      .readAll()
      .then(({ resources, providers }) => {
        const snapshot = {
          resources,
          providers: new Map(providers.map(p => [p.providerId, p])),
        };
        this.current = { at: Date.now(), snapshot };
        return snapshot;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }
}
