import type {
  HealthStatus,
  StatusReason,
  SyncStatus,
} from '@goldenpath/plugin-gitops-common';
import type { LiveResource } from '@goldenpath/plugin-gitops-node';

/**
 * One resource as the snapshot keeps it in memory: only what the views
 * need, repeated strings shared, and nothing that can be derived again
 * (the key and the deep link are rebuilt from the name when they follow
 * the usual form). A class, so every entry has one hidden class in V8.
 */
class Entry {
  constructor(
    /** Only when it is not `<namespace>/<name>`. */
    readonly key: string | undefined,
    readonly name: string,
    readonly namespace: string | undefined,
    /** `key=value`, shared with the label index. */
    readonly labels: readonly string[],
    readonly targetNamespace: string | undefined,
    readonly cluster: string | undefined,
    readonly images: readonly string[],
    readonly revision: string | undefined,
    readonly sync: SyncStatus,
    readonly health: HealthStatus,
    readonly lastSyncedAt: string | undefined,
    /** The controller's own time of the state, when it gave one. */
    readonly controllerSince: string | undefined,
    /** The snapshot's time of the state ({@link stateSince}). */
    readonly since: string,
    readonly reasons: readonly StatusReason[] | undefined,
    /** The deep link up to its last `/`. */
    readonly urlHead: string | undefined,
    /** The rest, when it is not the encoded name. */
    readonly urlTail: string | undefined,
  ) {}
}

/** One string object per distinct value, so repeats cost a pointer. */
class Interner {
  private readonly pool = new Map<string, string>();

  of(value: string): string;
  of(value: string | undefined): string | undefined;
  of(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    const known = this.pool.get(value);
    if (known !== undefined) return known;
    this.pool.set(value, value);
    return value;
  }

  /** The same array for the same values (images, label sets). */
  list(values: readonly string[]): readonly string[] {
    if (values.length === 0) return EMPTY;
    const joined = this.of(values.join('\u0000'));
    const known = this.lists.get(joined);
    if (known) return known;
    const list = Object.freeze(values.map(v => this.of(v)));
    this.lists.set(joined, list);
    return list;
  }

  private readonly lists = new Map<string, readonly string[]>();

  /** Drops the pools once the entries are built; entries keep their strings. */
  clear() {
    this.pool.clear();
    this.lists.clear();
  }
}

const EMPTY: readonly string[] = Object.freeze([]);

/** A resource of the snapshot, as the status join reads it. */
export interface SnapshotResource {
  providerId: string;
  resource: LiveResource;
  since: string;
}

/**
 * The resources of one provider's last successful poll, compact, with an
 * index by `key=value` label: one in-memory form serves the answers and
 * the index. Built once per load of the provider's rows; read-only after.
 * Pure.
 */
export class CompactResources {
  private readonly byLabel = new Map<string, Entry[]>();
  private count = 0;
  private interner: Interner | undefined = new Interner();

  constructor(readonly providerId: string) {}

  get size() {
    return this.count;
  }

  add(resource: LiveResource, since: string) {
    const pool = this.interner;
    if (!pool) throw new Error('CompactResources: add after seal');
    const name = resource.name;
    const namespace = pool.of(resource.namespace);
    this.count++;
    const labels = pool.list(
      Object.entries(resource.labels ?? {}).map(([k, v]) => `${k}=${v}`),
    );
    // Selectors match by label: a resource without labels is never found.
    if (labels.length === 0) return;
    let urlHead: string | undefined;
    let urlTail: string | undefined;
    if (resource.url) {
      const cut = resource.url.lastIndexOf('/') + 1;
      urlHead = pool.of(resource.url.slice(0, cut));
      const tail = resource.url.slice(cut);
      urlTail = tail === encodeURIComponent(name) ? undefined : tail;
    }
    const entry = new Entry(
      resource.key === `${resource.namespace ?? ''}/${name}`
        ? undefined
        : resource.key,
      name,
      namespace,
      labels,
      resource.targetNamespace,
      pool.of(resource.cluster),
      pool.list(resource.images),
      pool.of(resource.revision),
      resource.sync,
      resource.health,
      pool.of(resource.lastSyncedAt),
      pool.of(resource.since),
      pool.of(since),
      resource.reasons?.length ? resource.reasons : undefined,
      urlHead,
      urlTail,
    );
    for (const pair of labels) {
      const list = this.byLabel.get(pair);
      if (list) list.push(entry);
      else this.byLabel.set(pair, [entry]);
    }
  }

  /** Ends the build: the interning pools go, the entries stay. */
  seal(): this {
    this.interner?.clear();
    this.interner = undefined;
    return this;
  }

  /** The resources carrying the label `key=value`, as the providers reported them. */
  withLabel(key: string, value: string): SnapshotResource[] {
    const entries = this.byLabel.get(`${key}=${value}`) ?? [];
    return entries.map(e => ({
      providerId: this.providerId,
      resource: toLiveResource(e),
      since: e.since,
    }));
  }

  /** Every resource a selector can find; for tests and tools, not for requests. */
  *all(): Iterable<SnapshotResource> {
    const seen = new Set<Entry>();
    for (const entries of this.byLabel.values()) {
      for (const e of entries) {
        if (seen.has(e)) continue;
        seen.add(e);
        yield {
          providerId: this.providerId,
          resource: toLiveResource(e),
          since: e.since,
        };
      }
    }
  }
}

function toLiveResource(e: Entry): LiveResource {
  const labels: Record<string, string> = {};
  for (const pair of e.labels) {
    // Label keys hold no "=": the first one ends the key.
    const cut = pair.indexOf('=');
    labels[pair.slice(0, cut)] = pair.slice(cut + 1);
  }
  return {
    key: e.key ?? `${e.namespace ?? ''}/${e.name}`,
    name: e.name,
    ...(e.namespace !== undefined ? { namespace: e.namespace } : {}),
    labels,
    ...(e.targetNamespace !== undefined
      ? { targetNamespace: e.targetNamespace }
      : {}),
    ...(e.cluster !== undefined ? { cluster: e.cluster } : {}),
    images: [...e.images],
    ...(e.revision !== undefined ? { revision: e.revision } : {}),
    sync: e.sync,
    health: e.health,
    ...(e.lastSyncedAt !== undefined ? { lastSyncedAt: e.lastSyncedAt } : {}),
    ...(e.controllerSince !== undefined ? { since: e.controllerSince } : {}),
    ...(e.reasons ? { reasons: [...e.reasons] } : {}),
    ...(e.urlHead !== undefined
      ? { url: e.urlHead + (e.urlTail ?? encodeURIComponent(e.name)) }
      : {}),
  };
}
