import type { LoggerService } from '@backstage/backend-plugin-api';
import { databaseErrorCode } from '../redact';
import {
  CompactResources,
  SnapshotImageError,
  SnapshotResource,
} from './CompactResources';
import type {
  ProviderState,
  SnapshotStore,
  StoredImage,
} from './SnapshotStore';

/** The snapshot as a request sees it: one consistent view. */
export interface Snapshot {
  providers: Map<string, ProviderState>;
  /** Per provider, its resources, compact and indexed by label. */
  resources: Map<string, CompactResources>;
  /**
   * Set when the database does not answer and this is the copy loaded
   * before: since when it fails, and when the copy was loaded.
   */
  stale?: { since: string; loadedAt: string };
  /** Set when the database does not answer and no copy was ever loaded. */
  unavailable?: { since: string };
}

/** The resources of a provider carrying the label `key=value`. */
export function resourcesWithLabel(
  snapshot: Snapshot,
  providerId: string,
  key: string,
  value: string,
): SnapshotResource[] {
  return snapshot.resources.get(providerId)?.withLabel(key, value) ?? [];
}

/**
 * The snapshot as requests read it, kept in memory. Requests never wait for
 * the database once it is loaded: after `maxAgeMs` a request starts a
 * refresh in the background (other replicas may have polled) and is
 * answered from the copy in hand. A refresh reads the providers' states (one
 * small query) and reloads the resources of each provider whose version
 * changed: from the provider's stored image at that version (one value,
 * no row parsed), else its rows page by page into a compact form; the
 * others keep theirs.
 * After a poll in this process, `invalidate` refreshes at once and requests
 * wait for that refresh, so they see what the poll found.
 */
export class SnapshotCache {
  private current?: {
    at: number;
    snapshot: Snapshot;
    /** Per provider, the resources version its compact copy was loaded at. */
    versions: Map<string, string | undefined>;
  };
  private refreshing?: Promise<Snapshot>;
  private queued?: Promise<Snapshot>;
  private forced = false;
  private afterPoll?: Promise<Snapshot>;
  private failure?: { since: string; code: string };
  private readonly damagedImages = new Set<string>();
  /** What polls here stored, by provider, numbered in the order offered. */
  private readonly polled = new Map<string, StoredImage & { offer: number }>();
  private offers = 0;

  constructor(
    private readonly store: SnapshotStore,
    private readonly maxAgeMs: number,
    private readonly logger?: LoggerService,
  ) {}

  /**
   * After a poll in this process. `polled`, the provider's resources as
   * that poll stored them, is used as it is when the refresh finds the
   * provider at its version: nothing is read back.
   */
  invalidate(polled?: StoredImage) {
    if (polled) {
      this.polled.set(polled.providerId, { ...polled, offer: ++this.offers });
    }
    this.forced = true;
    // Requests from now on wait for this refresh (it starts after the poll
    // wrote), not for one already under way.
    const refresh: Promise<Snapshot> = this.refresh().finally(() => {
      if (this.afterPoll === refresh) this.afterPoll = undefined;
    });
    refresh.catch(() => {});
    this.afterPoll = refresh;
  }

  /**
   * The snapshot; never rejects. While the database does not answer it is
   * the last copy loaded, marked `stale`, or an empty one marked
   * `unavailable`.
   */
  async get(): Promise<Snapshot> {
    if (!this.current || this.forced || this.afterPoll) {
      try {
        return await (this.afterPoll ?? this.refresh());
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

  /**
   * Refreshes the copy when it is older than `maxAgeMs`; run on a timer so
   * that a replica that does not poll (another one does) has a copy as
   * recent as the database, even after an idle spell, when a request
   * comes. Never rejects.
   */
  async revalidate(): Promise<void> {
    if (this.current && Date.now() - this.current.at < this.maxAgeMs) return;
    await this.refresh().catch(() => {});
  }

  private lastKnown(): Snapshot {
    const { current, failure } = this;
    if (!current) {
      return {
        providers: new Map(),
        resources: new Map(),
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

  /**
   * The stored images of these providers at the versions their states
   * name, in one query; a damaged one is logged (once per provider and
   * version) and left out, so its rows are read. A database error is
   * thrown, as for the rows.
   */
  private async readImages(
    wanted: ProviderState[],
  ): Promise<Map<string, CompactResources>> {
    const images = await this.store.readProviderImages(
      wanted.flatMap(p =>
        p.resourcesVersion
          ? [{ providerId: p.providerId, version: p.resourcesVersion }]
          : [],
      ),
    );
    const usable = new Map<string, CompactResources>();
    for (const [id, image] of images) {
      if (!(image instanceof SnapshotImageError)) {
        usable.set(id, image);
        continue;
      }
      const state = wanted.find(p => p.providerId === id);
      const key = `${id}\n${state?.resourcesVersion}`;
      if (!this.damagedImages.has(key)) {
        this.damagedImages.add(key);
        this.logger?.warn(
          `GitOps snapshot: ${image.message}; loading its rows instead (the next poll that changes them writes a new image)`,
        );
      }
    }
    return usable;
  }

  private async load(): Promise<Snapshot> {
    this.forced = false;
    const current = this.current;
    // States first: rows read after them are at least as new, so a copy
    // keyed by the states' versions never keeps stale rows for long (a poll
    // between the two changes the version, and the next refresh reloads).
    const started = performance.now();
    const offersBefore = this.offers;
    const providers = await this.store.readProviderStates();
    const resources = new Map<string, CompactResources>();
    const versions = new Map<string, string | undefined>();
    let loaded = 0;
    let fromImages = 0;
    const toLoad: ProviderState[] = [];
    for (const state of providers) {
      const id = state.providerId;
      const version = state.resourcesVersion;
      const kept = current?.snapshot.resources.get(id);
      const polled = this.polled.get(id);
      if (kept && current!.versions.get(id) === version) {
        resources.set(id, kept);
      } else if (polled && polled.version === version) {
        resources.set(id, polled.resources);
      } else {
        toLoad.push(state);
      }
      versions.set(id, version);
      // Used, or older than the states just read (another replica polled
      // since): either way done with. A newer one waits for its refresh.
      if (
        polled &&
        (polled.version === version || polled.offer <= offersBefore)
      ) {
        this.polled.delete(id);
      }
    }
    const images = toLoad.length ? await this.readImages(toLoad) : new Map();
    for (const { providerId: id } of toLoad) {
      let compact = images.get(id);
      if (compact) {
        fromImages++;
      } else {
        const built = new CompactResources(id);
        await this.store.readProviderResources(id, (resource, since) =>
          built.add(resource, since),
        );
        compact = built.seal();
      }
      resources.set(id, compact);
      loaded += compact.size;
    }
    const snapshot: Snapshot = {
      providers: new Map(providers.map(p => [p.providerId, p])),
      resources,
    };
    if (!current && this.logger) {
      // The first load is part of the start-up (a restarted replica answers
      // from it): at info, with its time.
      this.logger.info(
        `GitOps snapshot: loaded ${loaded} resources of ${
          providers.length
        } providers from the database in ${Math.round(
          performance.now() - started,
        )} ms (${fromImages} from their stored images)`,
      );
    }
    this.current = { at: Date.now(), snapshot, versions };
    return snapshot;
  }
}
