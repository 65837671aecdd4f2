import {
  HEALTH_STATUSES,
  HealthStatus,
  StatusReason,
  SYNC_STATUSES,
  SyncStatus,
} from '@goldenpath/plugin-gitops-common';
import type { LiveResource } from '@goldenpath/plugin-gitops-node';

/** A resource of the snapshot, as the status join reads it. */
export interface SnapshotResource {
  providerId: string;
  resource: LiveResource;
  since: string;
}

/** One string object per distinct value, so repeats cost a pointer. */
class Interner {
  private readonly pool = new Map<string, string>();
  private readonly lists = new Map<string, readonly string[]>();

  of(value: string): string;
  of(value: string | undefined): string | undefined;
  of(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    const known = this.pool.get(value);
    if (known !== undefined) return known;
    this.pool.set(value, value);
    return value;
  }

  /** One image is kept as its string; several as one shared frozen list. */
  images(values: readonly string[]): string | readonly string[] {
    if (values.length === 1) return this.of(values[0]);
    const joined = values.join('\u0000');
    const known = this.lists.get(joined);
    if (known) return known;
    const list = Object.freeze(values.map(v => this.of(v)));
    this.lists.set(joined, list);
    return list;
  }

  clear() {
    this.pool.clear();
    this.lists.clear();
  }
}

// How a time string is rebuilt from its milliseconds: absent, as
// `toISOString()` gives it, or without its `.000` (as controllers write
// times to the second). Anything else is kept as written.
const TIME_ABSENT = 0;
const TIME_ISO = 1;
const TIME_SECONDS = 2;
const TIME_VERBATIM = 3;
const TIME_FIELDS = 3;

function encodeTime(value: string | undefined): {
  ms: number;
  form: number;
} {
  if (value === undefined) return { ms: NaN, form: TIME_ABSENT };
  const ms = Date.parse(value);
  if (Number.isFinite(ms)) {
    const iso = new Date(ms).toISOString();
    if (iso === value) return { ms, form: TIME_ISO };
    if (iso.endsWith('.000Z') && `${iso.slice(0, -5)}Z` === value) {
      return { ms, form: TIME_SECONDS };
    }
  }
  return { ms: NaN, form: TIME_VERBATIM };
}

function decodeTime(ms: number, form: number): string | undefined {
  if (form === TIME_ISO) return new Date(ms).toISOString();
  if (form === TIME_SECONDS) {
    return `${new Date(ms).toISOString().slice(0, -5)}Z`;
  }
  return undefined;
}

const NO_IMAGES: readonly string[] = Object.freeze([]);

/** A status's index in its list; one it does not know is `Unknown`. */
const indexIn = (list: readonly string[], value: string) => {
  const i = list.indexOf(value);
  return i >= 0 ? i : list.indexOf('Unknown');
};

/** What few rows have: an unusual key or link, reasons, unusual times. */
interface Rare {
  key?: string;
  urlTail?: string;
  reasons?: readonly StatusReason[];
  times?: Array<string | undefined>;
}

/**
 * The resources of one provider's last successful poll, kept column by
 * column so an Application costs a few hundred bytes: one array per field
 * (no object per resource), repeated strings (namespaces, clusters, label
 * pairs, images, revisions, link prefixes) shared, times as numbers,
 * sync and health as one small integer, keys and deep links rebuilt from
 * the name when they follow the usual form, and rare fields (reasons,
 * unusual keys or links) in sparse maps. The label index holds row
 * numbers. Built once per load of the provider's rows, read-only after;
 * a request rebuilds `LiveResource`s for the few rows it matched. Pure.
 */
export class CompactResources {
  private readonly names: string[] = [];
  private readonly namespaces: Array<string | undefined> = [];
  /** Row i's label pairs are `pairs[pairStart[i]] .. pairs[pairStart[i + 1] - 1]`. */
  private readonly pairStart: number[] = [0];
  private readonly pairs: string[] = [];
  /** `undefined` when it is the name, `null` when absent. */
  private readonly targetNamespaces: Array<string | null | undefined> = [];
  private readonly clusters: Array<string | undefined> = [];
  private readonly images: Array<string | readonly string[]> = [];
  private readonly revisions: Array<string | undefined> = [];
  /** sync index × 16 + health index. */
  private readonly states: number[] = [];
  /** lastSyncedAt, the controller's since, the snapshot's since: ms. */
  private readonly times: number[] = [];
  /** Their forms, two bits each. */
  private readonly timeForms: number[] = [];
  private readonly urlHeads: Array<string | undefined> = [];
  private readonly rare = new Map<number, Rare>();
  private readonly byLabel = new Map<string, number[]>();
  private interner: Interner | undefined = new Interner();

  constructor(readonly providerId: string) {}

  get size() {
    return this.names.length;
  }

  add(resource: LiveResource, since: string) {
    const pool = this.interner;
    if (!pool) throw new Error('CompactResources: add after seal');
    const row = this.names.length;
    const name = resource.name;
    const rare: Rare = {};
    this.names.push(name);
    this.namespaces.push(pool.of(resource.namespace));
    if (resource.key !== `${resource.namespace ?? ''}/${name}`) {
      rare.key = resource.key;
    }
    for (const [key, value] of Object.entries(resource.labels ?? {})) {
      const pair = pool.of(`${key}=${value}`);
      this.pairs.push(pair);
      const list = this.byLabel.get(pair);
      if (list) list.push(row);
      else this.byLabel.set(pair, [row]);
    }
    this.pairStart.push(this.pairs.length);
    const target = resource.targetNamespace;
    this.targetNamespaces.push(
      // eslint-disable-next-line no-nested-ternary
      target === undefined ? null : target === name ? undefined : target,
    );
    this.clusters.push(pool.of(resource.cluster));
    this.images.push(
      resource.images.length ? pool.images(resource.images) : NO_IMAGES,
    );
    this.revisions.push(pool.of(resource.revision));
    this.states.push(
      indexIn(SYNC_STATUSES, resource.sync) * 16 +
        indexIn(HEALTH_STATUSES, resource.health),
    );
    let forms = 0;
    [resource.lastSyncedAt, resource.since, since].forEach((value, i) => {
      const { ms, form } = encodeTime(value);
      this.times.push(ms);
      forms |= form << (2 * i);
      if (form === TIME_VERBATIM) {
        rare.times ??= new Array(TIME_FIELDS).fill(undefined);
        rare.times[i] = pool.of(value);
      }
    });
    this.timeForms.push(forms);
    if (resource.url) {
      const cut = resource.url.lastIndexOf('/') + 1;
      this.urlHeads.push(pool.of(resource.url.slice(0, cut)));
      const tail = resource.url.slice(cut);
      if (tail !== encodeURIComponent(name)) rare.urlTail = tail;
    } else {
      this.urlHeads.push(undefined);
    }
    if (resource.reasons?.length) rare.reasons = resource.reasons;
    if (Object.keys(rare).length > 0) this.rare.set(row, rare);
  }

  /** Ends the build: the interning pools go, the columns stay. */
  seal(): this {
    this.interner?.clear();
    this.interner = undefined;
    return this;
  }

  /** The resources carrying the label `key=value`, as the providers reported them. */
  withLabel(key: string, value: string): SnapshotResource[] {
    const rows = this.byLabel.get(`${key}=${value}`) ?? [];
    return rows.map(row => this.resourceAt(row));
  }

  /** Every resource; for tests and tools, not for requests. */
  *all(): Iterable<SnapshotResource> {
    for (let row = 0; row < this.names.length; row++) {
      yield this.resourceAt(row);
    }
  }

  private resourceAt(row: number): SnapshotResource {
    const rare = this.rare.get(row);
    const name = this.names[row];
    const namespace = this.namespaces[row];
    const labels: Record<string, string> = {};
    for (let i = this.pairStart[row]; i < this.pairStart[row + 1]; i++) {
      const pair = this.pairs[i];
      // Label keys hold no "=": the first one ends the key.
      const cut = pair.indexOf('=');
      labels[pair.slice(0, cut)] = pair.slice(cut + 1);
    }
    const time = (i: number) => {
      const form = (this.timeForms[row] >> (2 * i)) & 3;
      if (form === TIME_VERBATIM) return rare?.times?.[i];
      return decodeTime(this.times[row * TIME_FIELDS + i], form);
    };
    const target = this.targetNamespaces[row];
    const cluster = this.clusters[row];
    const images = this.images[row];
    const revision = this.revisions[row];
    const state = this.states[row];
    const lastSyncedAt = time(0);
    const controllerSince = time(1);
    const urlHead = this.urlHeads[row];
    const resource: LiveResource = {
      key: rare?.key ?? `${namespace ?? ''}/${name}`,
      name,
      ...(namespace !== undefined ? { namespace } : {}),
      labels,
      ...(target !== null ? { targetNamespace: target ?? name } : {}),
      ...(cluster !== undefined ? { cluster } : {}),
      images: typeof images === 'string' ? [images] : [...images],
      ...(revision !== undefined ? { revision } : {}),
      sync: SYNC_STATUSES[state >> 4] as SyncStatus,
      health: HEALTH_STATUSES[state & 15] as HealthStatus,
      ...(lastSyncedAt !== undefined ? { lastSyncedAt } : {}),
      ...(controllerSince !== undefined ? { since: controllerSince } : {}),
      ...(rare?.reasons ? { reasons: [...rare.reasons] } : {}),
      ...(urlHead !== undefined
        ? { url: urlHead + (rare?.urlTail ?? encodeURIComponent(name)) }
        : {}),
    };
    return { providerId: this.providerId, resource, since: time(2)! };
  }
}
