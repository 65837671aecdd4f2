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

type NumberArray = Uint32Array | Float64Array;

/** A typed array that grows while a snapshot is built. */
class Column<T extends NumberArray> {
  private data: T;
  length = 0;

  constructor(private readonly make: (length: number) => T) {
    this.data = make(1024);
  }

  push(value: number) {
    if (this.length === this.data.length) {
      const grown = this.make(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  /** What was pushed, not copied: `seal` copies it into the block. */
  filled(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

const u32 = () => new Column(n => new Uint32Array(n));

// A string column's ids: 0 is absent; below ARENA a value of the shared
// table; from ARENA on, a string of the byte arena.
const ABSENT = 0;
const ARENA = 0x80000000;
/** The target namespace is the resource's name. */
const TARGET_IS_NAME = 0xffffffff;

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

/** The stored image's format; an image of another format is not read. */
export const IMAGE_FORMAT = 1;
/** "GPSI": a buffer that does not start with it is no image. */
const IMAGE_MAGIC = 0x49535047;

/** An image that cannot be read: the rows are loaded instead. */
export class SnapshotImageError extends Error {
  name = 'SnapshotImageError';
}

type Section = Uint8Array | Uint32Array | Float64Array;

/** The image's typed arrays, in their order, with their element type. */
const SECTIONS = [
  ['arena', Uint8Array],
  ['arenaStart', Uint32Array],
  ['namespaces', Uint32Array],
  ['targets', Uint32Array],
  ['clusters', Uint32Array],
  ['images', Uint32Array],
  ['revisions', Uint32Array],
  ['urlHeads', Uint32Array],
  ['states', Uint8Array],
  ['timeForms', Uint8Array],
  ['times', Float64Array],
  ['pairStart', Uint32Array],
  ['pairs', Uint32Array],
  ['labelStart', Uint32Array],
  ['labelRows', Uint32Array],
] as const;

type SectionName = (typeof SECTIONS)[number][0];

/** The columns holding a string id (or a list's) per row. */
const ID_COLUMNS = [
  'namespaces',
  'targets',
  'clusters',
  'images',
  'revisions',
  'urlHeads',
] as const;

/** What an image's JSON header holds. */
interface ImageHeader {
  rows: number;
  littleEndian: boolean;
  values: Array<string | string[]>;
  pairValues: string[];
  rare: Array<[number, Rare]>;
  lengths: number[];
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** Characters of the image header per slice (see imageParts). */
const HEADER_SLICE_CHARS = 16 * 1024;

/** From this size a block gets a mapping of its own (see {@link allocateBlock}). */
const MAPPED_BLOCK_BYTES = 1024 * 1024;

/**
 * A zeroed block for a provider's columns. A large one is the memory of a
 * `WebAssembly.Memory`, which V8 maps on its own and unmaps when it is
 * collected: a block of megabytes that lives until the next changed poll
 * would otherwise sit in the allocator's main heap, where it keeps the
 * space freed below it (a poll's garbage) from going back to the system.
 * Where no mapping can be had (address space limited), the allocator's.
 */
function allocateBlock(size: number): Buffer {
  if (size >= MAPPED_BLOCK_BYTES) {
    try {
      const pages = Math.ceil(size / 65536);
      const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
      return Buffer.from(memory.buffer, 0, size);
    } catch {
      // The allocator's, below.
    }
  }
  return Buffer.alloc(size);
}

/** Where each section of these lengths starts in a block, each at a multiple of 8. */
function layout(lengths: number[]): { offsets: number[]; size: number } {
  const offsets: number[] = [];
  let size = 0;
  SECTIONS.forEach(([, Type], i) => {
    offsets.push(size);
    size += align8(lengths[i] * Type.BYTES_PER_ELEMENT);
  });
  return { offsets, size };
}

/** Decoded times kept for reuse; most rows share a few (one poll's). */
const TIME_MEMO_SIZE = 4096;

/**
 * The resources of one provider's last successful poll, kept column by
 * column in typed arrays, so an Application costs about two hundred bytes
 * and the heap holds a few dozen objects per provider, not several per
 * Application:
 *
 * - strings as ids: a value two or more rows share (namespaces, clusters,
 *   images, link prefixes, label pairs) is one string of a shared table; a
 *   value of one row only (its name, usually its revision) is UTF-8 bytes
 *   in one buffer;
 * - times as milliseconds, sync and health as one byte;
 * - keys and deep links rebuilt from the name when they follow the usual
 *   form; rare fields (reasons, unusual keys or links) in a sparse map;
 * - the label index as rows grouped by label pair (one array), found
 *   through a map from `key=value` to the pair's range;
 * - every typed array a view of one block, which is also what the stored
 *   image holds (`imageParts`, `fromImage`).
 *
 * Built once per changed poll (or from the provider's rows or image),
 * read-only after `seal`; a request rebuilds `LiveResource`s for the few
 * rows it matched. Pure.
 */
export class CompactResources {
  private rows = 0;
  private build?: {
    ids: Map<string, number>;
    values: Array<string | readonly string[]>;
    uses: number[];
    lists: Map<string, number>;
    nameList: string[];
    namespaces: Column<Uint32Array>;
    targets: Column<Uint32Array>;
    clusters: Column<Uint32Array>;
    images: Column<Uint32Array>;
    revisions: Column<Uint32Array>;
    urlHeads: Column<Uint32Array>;
    pairStart: Column<Uint32Array>;
    pairs: Column<Uint32Array>;
    pairUses: number[];
    states: number[];
    timeForms: number[];
    times: Column<Float64Array>;
    /** Times met, as `timeCode` encodes them. */
    timeCodes: Map<string, number>;
  };

  // After seal.
  private values: Array<string | readonly string[]> = [];
  /** Every typed array below is a view of it, once sealed. */
  private block = Buffer.alloc(0);
  private arena = Buffer.alloc(0);
  private arenaStart = new Uint32Array(1);
  private namespaces = new Uint32Array(0);
  private targets = new Uint32Array(0);
  private clusters = new Uint32Array(0);
  private images = new Uint32Array(0);
  private revisions = new Uint32Array(0);
  private urlHeads = new Uint32Array(0);
  private states = new Uint8Array(0);
  private timeForms = new Uint8Array(0);
  private times = new Float64Array(0);
  /** Row i's label pairs are `pairs[pairStart[i]] .. pairs[pairStart[i + 1] - 1]`. */
  private pairStart = new Uint32Array(1);
  private pairs = new Uint32Array(0);
  /** Pair p's rows are `labelRows[labelStart[p]] .. labelRows[labelStart[p + 1] - 1]`. */
  private labelStart = new Uint32Array(1);
  private labelRows = new Uint32Array(0);
  /** `key=value` to its pair index; the pairs' strings. */
  private pairIds = new Map<string, number>();
  private pairValues: string[] = [];
  private readonly rare = new Map<number, Rare>();
  private readonly timeMemo = new Map<number, string>();

  constructor(readonly providerId: string) {
    this.build = {
      ids: new Map(),
      values: [''], // id 0: absent
      uses: [0],
      lists: new Map(),
      nameList: [],
      namespaces: u32(),
      targets: u32(),
      clusters: u32(),
      images: u32(),
      revisions: u32(),
      urlHeads: u32(),
      pairStart: u32(),
      pairs: u32(),
      pairUses: [],
      states: [],
      timeForms: [],
      times: new Column(n => new Float64Array(n)),
      timeCodes: new Map(),
    };
    this.build.pairStart.push(0);
  }

  get size() {
    return this.rows;
  }

  add(resource: LiveResource, since: string) {
    const b = this.build;
    if (!b) throw new Error('CompactResources: add after seal');
    const row = this.rows++;
    const name = resource.name;
    let rare: Rare | undefined;
    // Names are each resource's own: straight to the arena, not interned.
    b.nameList.push(name);
    b.namespaces.push(this.intern(resource.namespace));
    if (resource.key !== `${resource.namespace ?? ''}/${name}`) {
      rare = { key: resource.key };
    }
    const labels = resource.labels ?? {};
    for (const key in labels) {
      if (!Object.hasOwn(labels, key)) continue;
      const pair = `${key}=${labels[key]}`;
      let p = this.pairIds.get(pair);
      if (p === undefined) {
        p = this.pairValues.length;
        this.pairValues.push(pair);
        this.pairIds.set(pair, p);
        b.pairUses.push(0);
      }
      b.pairUses[p]++;
      b.pairs.push(p);
    }
    b.pairStart.push(b.pairs.length);
    const target = resource.targetNamespace;
    b.targets.push(target === name ? TARGET_IS_NAME : this.intern(target));
    b.clusters.push(this.intern(resource.cluster));
    b.images.push(this.imagesId(resource.images));
    b.revisions.push(this.intern(resource.revision));
    b.states.push(
      indexIn(SYNC_STATUSES, resource.sync) * 16 +
        indexIn(HEALTH_STATUSES, resource.health),
    );
    let forms = 0;
    const times = [resource.lastSyncedAt, resource.since, since];
    for (let i = 0; i < TIME_FIELDS; i++) {
      const value = times[i];
      const code = this.timeCode(value);
      const form = code < 0 ? TIME_VERBATIM : code % 4;
      b.times.push(code < 0 ? NaN : (code - form) / 4);
      forms |= form << (2 * i);
      if (form === TIME_VERBATIM) {
        rare ??= {};
        rare.times ??= new Array(TIME_FIELDS).fill(undefined);
        rare.times[i] = value;
      }
    }
    b.timeForms.push(forms);
    if (resource.url) {
      const cut = resource.url.lastIndexOf('/') + 1;
      b.urlHeads.push(this.intern(resource.url.slice(0, cut)));
      const tail = resource.url.slice(cut);
      if (tail !== encodeURIComponent(name)) {
        rare ??= {};
        rare.urlTail = tail;
      }
    } else {
      b.urlHeads.push(ABSENT);
    }
    if (resource.reasons?.length) {
      rare ??= {};
      rare.reasons = resource.reasons;
    }
    if (rare) this.rare.set(row, rare);
  }

  /** A value's id in the build's pool, counting its uses. */
  private intern(value: string | undefined): number {
    if (value === undefined) return ABSENT;
    const b = this.build!;
    let known = b.ids.get(value);
    if (known === undefined) {
      known = b.values.length;
      b.values.push(value);
      b.uses.push(0);
      b.ids.set(value, known);
    }
    b.uses[known]++;
    return known;
  }

  /**
   * A time as `ms * 4 + form`, or -1 to keep it verbatim; remembered, as
   * most rows share a few times.
   */
  private timeCode(value: string | undefined): number {
    if (value === undefined) return TIME_ABSENT;
    const codes = this.build!.timeCodes;
    let code = codes.get(value);
    if (code === undefined) {
      const { ms, form } = encodeTime(value);
      code = form === TIME_VERBATIM ? -1 : ms * 4 + form;
      if (codes.size >= TIME_MEMO_SIZE) codes.clear();
      codes.set(value, code);
    }
    return code;
  }

  /** One image is its string's id; several one shared frozen list's. */
  private imagesId(images: readonly string[]): number {
    const b = this.build!;
    if (images.length === 0) return ABSENT;
    if (images.length === 1) return this.intern(images[0]);
    const joined = images.join('\u0000');
    let known = b.lists.get(joined);
    if (known === undefined) {
      known = b.values.length;
      b.values.push(Object.freeze([...images]));
      b.uses.push(0); // a list: never moved to the arena
      b.lists.set(joined, known);
    }
    return known;
  }

  /**
   * Ends the build: strings of one row move into the byte arena, the
   * columns become typed arrays of their exact length, the label index is
   * grouped. The build's pools go.
   */
  seal(): this {
    const b = this.build;
    if (!b) return this;
    this.build = undefined;

    // New ids: shared values first (their table); into the arena, each
    // row's name (row i's is arena string i), then single-use strings in
    // the order met.
    const remap = new Uint32Array(b.values.length);
    const values: Array<string | readonly string[]> = [''];
    const single: string[] = b.nameList;
    let arenaBytes = 0;
    for (const name of single) arenaBytes += Buffer.byteLength(name);
    for (let i = 1; i < b.values.length; i++) {
      const value = b.values[i];
      if (b.uses[i] === 1 && typeof value === 'string') {
        remap[i] = ARENA + single.length;
        single.push(value);
        arenaBytes += Buffer.byteLength(value);
      } else {
        remap[i] = values.length;
        values.push(value);
      }
    }
    const arena = Buffer.alloc(arenaBytes);
    const arenaStart = new Uint32Array(single.length + 1);
    let at = 0;
    for (let i = 0; i < single.length; i++) {
      at += arena.write(single[i], at);
      arenaStart[i + 1] = at;
    }
    this.values = values;
    this.arena = arena;
    this.arenaStart = arenaStart;

    const remapped = (column: Column<Uint32Array>, keep?: number) => {
      const out = column.filled();
      for (let i = 0; i < out.length; i++) {
        if (out[i] !== keep) out[i] = remap[out[i]];
      }
      return out;
    };
    this.namespaces = remapped(b.namespaces);
    this.targets = remapped(b.targets, TARGET_IS_NAME);
    this.clusters = remapped(b.clusters);
    this.images = remapped(b.images);
    this.revisions = remapped(b.revisions);
    this.urlHeads = remapped(b.urlHeads);
    this.states = Uint8Array.from(b.states);
    this.timeForms = Uint8Array.from(b.timeForms);
    this.times = b.times.filled();
    this.pairStart = b.pairStart.filled();
    this.pairs = b.pairs.filled();

    // The label index: each pair's rows, in row order.
    const labelStart = new Uint32Array(this.pairValues.length + 1);
    for (let p = 0; p < b.pairUses.length; p++) {
      labelStart[p + 1] = labelStart[p] + b.pairUses[p];
    }
    const next = labelStart.slice(0, -1);
    const labelRows = new Uint32Array(this.pairs.length);
    for (let row = 0; row < this.rows; row++) {
      for (let i = this.pairStart[row]; i < this.pairStart[row + 1]; i++) {
        labelRows[next[this.pairs[i]]++] = row;
      }
    }
    this.labelStart = labelStart;
    this.labelRows = labelRows;

    // Every column into one block: one allocation that lives as long as
    // the copy (the image written is this block), not fifteen.
    const sections = this.sections();
    const lengths = SECTIONS.map(([name]) => sections[name].length);
    const { offsets, size } = layout(lengths);
    const block = allocateBlock(size);
    SECTIONS.forEach(([name], i) => {
      const section = sections[name];
      block.set(
        new Uint8Array(section.buffer, section.byteOffset, section.byteLength),
        offsets[i],
      );
    });
    this.useBlock(block, lengths, offsets);
    return this;
  }

  private sections(): Record<SectionName, Section> {
    return {
      arena: this.arena,
      arenaStart: this.arenaStart,
      namespaces: this.namespaces,
      targets: this.targets,
      clusters: this.clusters,
      images: this.images,
      revisions: this.revisions,
      urlHeads: this.urlHeads,
      states: this.states,
      timeForms: this.timeForms,
      times: this.times,
      pairStart: this.pairStart,
      pairs: this.pairs,
      labelStart: this.labelStart,
      labelRows: this.labelRows,
    };
  }

  /** Points every column at its place in `block`, at `offsets` (from `layout`). */
  private useBlock(block: Buffer, lengths: number[], offsets: number[]) {
    const views = {} as Record<SectionName, Section>;
    SECTIONS.forEach(([name, Type], i) => {
      views[name] =
        name === 'arena'
          ? Buffer.from(block.buffer, block.byteOffset + offsets[i], lengths[i])
          : new Type(block.buffer, block.byteOffset + offsets[i], lengths[i]);
    });
    // The fields are named as the sections are.
    Object.assign(this, views);
    this.block = block;
  }

  /**
   * The sealed form as an image, in parts to write one after the other:
   * magic, format and header length (three little-endian u32), the JSON
   * header (tables, rare fields, section lengths) in slices, padding to a
   * multiple of 8; then the block of typed arrays the columns already are,
   * as it is, not copied.
   */
  imageParts(): Buffer[] {
    if (this.build) throw new Error('CompactResources: image before seal');
    const sections = this.sections();
    const header: ImageHeader = {
      rows: this.rows,
      littleEndian: LITTLE_ENDIAN,
      values: this.values as ImageHeader['values'],
      pairValues: this.pairValues,
      rare: [...this.rare],
      lengths: SECTIONS.map(([name]) => sections[name].length),
    };
    // The header's text in slices: no transient buffer of hundreds of
    // kilobytes for the allocator to keep.
    const json = JSON.stringify(header);
    const slices: Buffer[] = [];
    let jsonBytes = 0;
    for (let at = 0; at < json.length; ) {
      let end = Math.min(at + HEADER_SLICE_CHARS, json.length);
      // Never between the two halves of a surrogate pair.
      const last = json.charCodeAt(end - 1);
      if (end < json.length && last >= 0xd800 && last <= 0xdbff) end--;
      const slice = Buffer.from(json.slice(at, end));
      slices.push(slice);
      jsonBytes += slice.length;
      at = end;
    }
    const start = Buffer.alloc(12);
    start.writeUInt32LE(IMAGE_MAGIC, 0);
    start.writeUInt32LE(IMAGE_FORMAT, 4);
    start.writeUInt32LE(jsonBytes, 8);
    const pad = Buffer.alloc(align8(12 + jsonBytes) - (12 + jsonBytes));
    return [start, ...slices, pad, this.block];
  }

  /** The image as one buffer (see {@link CompactResources.imageParts}). */
  toImage(): Buffer {
    return Buffer.concat(this.imageParts());
  }

  /**
   * Reads back what {@link CompactResources.toImage} wrote; the block is
   * copied out of `image`, so the image can go. Every length, range and id
   * is checked: a damaged image throws {@link SnapshotImageError}, it never
   * answers wrongly.
   */
  static fromImage(providerId: string, image: Uint8Array): CompactResources {
    const fail = (what: string): never => {
      throw new SnapshotImageError(`snapshot image of ${providerId}: ${what}`);
    };
    const bytes = Buffer.from(image.buffer, image.byteOffset, image.length);
    if (bytes.length < 12) fail('too short');
    if (bytes.readUInt32LE(0) !== IMAGE_MAGIC) fail('not an image');
    const format = bytes.readUInt32LE(4);
    if (format !== IMAGE_FORMAT) fail(`format ${format}, not ${IMAGE_FORMAT}`);
    const jsonLength = bytes.readUInt32LE(8);
    if (12 + jsonLength > bytes.length) fail('header cut off');
    let header: ImageHeader;
    try {
      header = JSON.parse(bytes.toString('utf8', 12, 12 + jsonLength));
    } catch {
      return fail('header is not JSON');
    }
    const { rows, values, pairValues, rare, lengths } = header;
    if (header.littleEndian !== LITTLE_ENDIAN) fail('other byte order');
    if (!Number.isInteger(rows) || rows < 0) fail('row count');
    if (
      !Array.isArray(values) ||
      values[0] !== '' ||
      !values.every(
        v =>
          typeof v === 'string' ||
          (Array.isArray(v) && v.every(i => typeof i === 'string')),
      )
    ) {
      fail('values');
    }
    if (
      !Array.isArray(pairValues) ||
      !pairValues.every(v => typeof v === 'string' && v.includes('='))
    ) {
      fail('label pairs');
    }
    if (
      !Array.isArray(lengths) ||
      lengths.length !== SECTIONS.length ||
      !lengths.every(n => Number.isInteger(n) && n >= 0 && n < 2 ** 31)
    ) {
      fail('section lengths');
    }
    const start = align8(12 + jsonLength);
    const { offsets, size } = layout(lengths);
    if (start + size > bytes.length) fail('cut off');
    const block = allocateBlock(size);
    bytes.copy(block, 0, start, start + size);

    const c = new CompactResources(providerId);
    c.build = undefined;
    c.rows = rows;
    c.values = values.map(v => (typeof v === 'string' ? v : Object.freeze(v)));
    c.pairValues = pairValues;
    c.pairIds = new Map(pairValues.map((pair, p) => [pair, p]));
    c.useBlock(block, lengths, offsets);
    if (!Array.isArray(rare)) fail('rare fields');
    for (const entry of rare) {
      const [row, fields] = Array.isArray(entry) ? entry : [NaN, undefined];
      if (
        !Number.isInteger(row) ||
        row < 0 ||
        row >= rows ||
        typeof fields !== 'object' ||
        fields === null
      ) {
        return fail('rare fields');
      }
      if (fields.times) {
        // JSON wrote absent times as null.
        fields.times = fields.times.map(t => t ?? undefined);
      }
      c.rare.set(row, fields);
    }
    const problem = c.check();
    if (problem) fail(problem);
    return c;
  }

  /** What is wrong with a read image's columns, if anything. */
  private check(): string | undefined {
    const { rows } = this;
    const monotonic = (a: Uint32Array, end: number) => {
      if (a.length === 0 || a[0] !== 0 || a[a.length - 1] !== end) {
        return false;
      }
      for (let i = 1; i < a.length; i++) if (a[i] < a[i - 1]) return false;
      return true;
    };
    if (!monotonic(this.arenaStart, this.arena.length)) return 'arena';
    if (this.arenaStart.length < rows + 1) return 'arena';
    const strings = this.arenaStart.length - 1;
    // A list (of images) only where the images column points.
    const isList = this.values.map(v => typeof v !== 'string');
    const validId = (id: number, listAllowed: boolean) =>
      id >= ARENA
        ? id - ARENA < strings
        : id < this.values.length && (listAllowed || !isList[id]);
    const sections = this.sections();
    for (const name of ID_COLUMNS) {
      const column = sections[name];
      if (column.length !== rows) return `${name} length`;
      const listAllowed = name === 'images';
      const keep = name === 'targets' ? TARGET_IS_NAME : -1;
      for (let i = 0; i < rows; i++) {
        const id = column[i];
        if (id !== keep && !validId(id, listAllowed)) return `${name} id`;
      }
    }
    if (this.states.length !== rows || this.timeForms.length !== rows) {
      return 'states';
    }
    for (let i = 0; i < rows; i++) {
      if (
        this.states[i] >> 4 >= SYNC_STATUSES.length ||
        (this.states[i] & 15) >= HEALTH_STATUSES.length
      ) {
        return 'states';
      }
    }
    if (this.times.length !== rows * TIME_FIELDS) return 'times';
    if (
      this.pairStart.length !== rows + 1 ||
      !monotonic(this.pairStart, this.pairs.length)
    ) {
      return 'label pairs of rows';
    }
    for (let i = 0; i < this.pairs.length; i++) {
      if (this.pairs[i] >= this.pairValues.length) return 'label pair id';
    }
    if (
      this.labelStart.length !== this.pairValues.length + 1 ||
      !monotonic(this.labelStart, this.labelRows.length)
    ) {
      return 'label index';
    }
    for (let i = 0; i < this.labelRows.length; i++) {
      if (this.labelRows[i] >= rows) return 'label index row';
    }
    return undefined;
  }

  /** The resources carrying the label `key=value`, as the providers reported them. */
  withLabel(key: string, value: string): SnapshotResource[] {
    const p = this.pairIds.get(`${key}=${value}`);
    if (p === undefined || this.build) return [];
    const found: SnapshotResource[] = [];
    for (let i = this.labelStart[p]; i < this.labelStart[p + 1]; i++) {
      found.push(this.resourceAt(this.labelRows[i]));
    }
    return found;
  }

  /** Every resource; for tests and tools, not for requests. */
  *all(): Iterable<SnapshotResource> {
    if (this.build) return;
    for (let row = 0; row < this.rows; row++) {
      yield this.resourceAt(row);
    }
  }

  private string(id: number): string | undefined {
    if (id === ABSENT) return undefined;
    if (id >= ARENA) {
      const i = id - ARENA;
      return this.arena.toString(
        'utf8',
        this.arenaStart[i],
        this.arenaStart[i + 1],
      );
    }
    return this.values[id] as string;
  }

  private time(row: number, field: number, rare: Rare | undefined) {
    const form = (this.timeForms[row] >> (2 * field)) & 3;
    if (form === TIME_ABSENT) return undefined;
    if (form === TIME_VERBATIM) return rare?.times?.[field];
    const ms = this.times[row * TIME_FIELDS + field];
    const key = ms * 4 + form;
    let text = this.timeMemo.get(key);
    if (text === undefined) {
      const iso = new Date(ms).toISOString();
      text = form === TIME_ISO ? iso : `${iso.slice(0, -5)}Z`;
      if (this.timeMemo.size >= TIME_MEMO_SIZE) this.timeMemo.clear();
      this.timeMemo.set(key, text);
    }
    return text;
  }

  private resourceAt(row: number): SnapshotResource {
    const rare = this.rare.get(row);
    // Row i's name is the arena's string i.
    const name = this.string(ARENA + row)!;
    const namespace = this.string(this.namespaces[row]);
    const labels: Record<string, string> = {};
    for (let i = this.pairStart[row]; i < this.pairStart[row + 1]; i++) {
      const pair = this.pairValues[this.pairs[i]];
      // Label keys hold no "=": the first one ends the key.
      const cut = pair.indexOf('=');
      labels[pair.slice(0, cut)] = pair.slice(cut + 1);
    }
    const resource: LiveResource = {
      key: rare?.key ?? `${namespace ?? ''}/${name}`,
      name,
      labels,
      images: [],
      sync: SYNC_STATUSES[this.states[row] >> 4] as SyncStatus,
      health: HEALTH_STATUSES[this.states[row] & 15] as HealthStatus,
    };
    if (namespace !== undefined) resource.namespace = namespace;
    const target = this.targets[row];
    if (target === TARGET_IS_NAME) resource.targetNamespace = name;
    else if (target !== ABSENT) resource.targetNamespace = this.string(target);
    const cluster = this.string(this.clusters[row]);
    if (cluster !== undefined) resource.cluster = cluster;
    const images = this.images[row];
    if (images !== ABSENT) {
      const value =
        images >= ARENA ? this.string(images)! : this.values[images];
      resource.images = typeof value === 'string' ? [value] : [...value];
    }
    const revision = this.string(this.revisions[row]);
    if (revision !== undefined) resource.revision = revision;
    const lastSyncedAt = this.time(row, 0, rare);
    if (lastSyncedAt !== undefined) resource.lastSyncedAt = lastSyncedAt;
    const controllerSince = this.time(row, 1, rare);
    if (controllerSince !== undefined) resource.since = controllerSince;
    if (rare?.reasons) resource.reasons = [...rare.reasons];
    const urlHead = this.string(this.urlHeads[row]);
    if (urlHead !== undefined) {
      resource.url = urlHead + (rare?.urlTail ?? encodeURIComponent(name));
    }
    return {
      providerId: this.providerId,
      resource,
      since: this.time(row, 2, rare)!,
    };
  }
}
