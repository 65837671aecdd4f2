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
        const snapshot = indexSnapshot(resources, providers);
        this.current = { at: Date.now(), snapshot };
        return snapshot;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }
}
