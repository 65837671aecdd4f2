import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { LiveResource } from '@goldenpath/plugin-gitops-node';
import { Knex } from 'knex';
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip, gunzip as gunzipCallback } from 'node:zlib';

import {
  CompactResources,
  IMAGE_FORMAT,
  SnapshotImageError,
  type SnapshotResource,
} from './CompactResources';

const gunzip = promisify(gunzipCallback);

/**
 * The most bytes of an image one row holds: under 64 KiB, as MySQL's BLOB
 * (knex's `binary` there) holds 65,535 bytes.
 */
const PIECE_BYTES = 60 * 1024;

/**
 * gzip of the parts one after the other, in pieces of at most
 * {@link PIECE_BYTES}: neither the parts nor the output are ever joined
 * into one large buffer, which the allocator would keep after it is freed.
 */
async function gzipPieces(parts: Buffer[]): Promise<Buffer[]> {
  const pieces: Buffer[] = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const cut = () => {
    if (pendingBytes > 0) pieces.push(Buffer.concat(pending, pendingBytes));
    pending = [];
    pendingBytes = 0;
  };
  await pipeline(
    Readable.from(parts),
    createGzip({ level: 1 }),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (let at = 0; at < chunk.length; ) {
          const take = Math.min(PIECE_BYTES - pendingBytes, chunk.length - at);
          pending.push(chunk.subarray(at, at + take));
          pendingBytes += take;
          at += take;
          if (pendingBytes === PIECE_BYTES) cut();
        }
        done();
      },
    }),
  );
  cut();
  return pieces;
}

export type { SnapshotResource };

/** The outcome of a provider's last poll. */
export interface ProviderState {
  providerId: string;
  ok: boolean;
  error?: string;
  lastAttemptAt: string;
  lastSuccessAt?: string;
  failingSince?: string;
  /** Digest of the resources of the last successful poll. */
  resourcesVersion?: string;
}

/** The digest of a resource's row: of its JSON, as the row's payload holds it. */
export function resourceDigest(resource: LiveResource): string {
  return createHash('sha256').update(JSON.stringify(resource)).digest('hex');
}

/** A digest of a poll's resources from their rows' digests, independent of their order. */
function versionOf(rows: Array<{ key: string; digest: string }>): string {
  const hash = createHash('sha256');
  for (const row of [...rows].sort((a, b) =>
    a.key < b.key ? -1 : Number(a.key > b.key),
  )) {
    hash.update(`${row.key}\t${row.digest}\n`);
  }
  return hash.digest('hex');
}

/** A digest of a poll's resources, independent of their order. */
export function resourcesVersion(resources: LiveResource[]): string {
  return versionOf(
    resources.map(r => ({ key: r.key, digest: resourceDigest(r) })),
  );
}

/** Rows read from the database at once: bounds a load's transient memory. */
const PAGE_ROWS = 5000;

/**
 * Since when a resource has been in its state: the controller's own time
 * when it gives one (never later than the poll, whose clock may differ),
 * else the first poll that saw this sync and health, kept in the database
 * so a restart or another replica does not reset it. Pure.
 */
export function stateSince(
  resource: Pick<LiveResource, 'sync' | 'health' | 'since'>,
  before: { sync: string; health: string; since: string } | undefined,
  pollAt: string,
): string {
  const controller = resource.since ? Date.parse(resource.since) : NaN;
  if (Number.isFinite(controller)) {
    return new Date(Math.min(controller, Date.parse(pollAt))).toISOString();
  }
  const same =
    before &&
    before.sync === resource.sync &&
    before.health === resource.health;
  return same ? before.since : pollAt;
}

const migrationsDir = resolvePackagePath(
  '@goldenpath/plugin-gitops-backend',
  'migrations',
);

/**
 * Two replicas creating knex's lock table at once may each insert its row.
 * knex takes the lock only by updating exactly one row, so with two nobody
 * ever can: every replica would wait forever. With more than one row no
 * lock is held (the update never succeeded), so the extra rows can go.
 */
async function removeDuplicateLockRows(knex: Knex) {
  const table = 'knex_migrations_lock';
  if (!(await knex.schema.hasTable(table))) return;
  const rows: Array<{ index: number }> = await knex(table)
    .select('index')
    .orderBy('index');
  if (rows.length > 1) {
    await knex(table)
      .whereIn(
        'index',
        rows.slice(1).map(r => r.index),
      )
      .delete();
  }
}

/**
 * The live-state snapshot in the plugin database (SQLite by default,
 * PostgreSQL in production), so every replica answers from the same state
 * and a restarted one answers at once.
 */
export class SnapshotStore {
  static async create(database: DatabaseService): Promise<SnapshotStore> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      // Replicas starting together on a fresh database race to create knex's
      // own bookkeeping tables, then one holds the migration lock while it
      // migrates: knex refuses the others at once (MigrationLocked), so they
      // wait for it, bounded, and try again.
      const deadline = Date.now() + 60_000;
      for (let attempt = 1; ; attempt++) {
        try {
          await knex.migrate.latest({ directory: migrationsDir });
          break;
        } catch (e) {
          const locked = (e as Error)?.name === 'MigrationLocked';
          if (locked ? Date.now() > deadline : attempt >= 5) throw e;
          if (locked) await removeDuplicateLockRows(knex);
          await new Promise(r => setTimeout(r, Math.min(200 * attempt, 1000)));
        }
      }
    }
    return new SnapshotStore(knex);
  }

  constructor(private readonly knex: Knex) {}

  /**
   * Records a successful poll: writes only the rows whose resource changed
   * (by digest), deletes those no longer reported, with `since` from
   * {@link stateSince}, and the provider's image (see
   * {@link SnapshotStore.readProviderImage}) in the same transaction. An
   * unchanged poll reads two small rows and writes one (the state).
   * Returns the resources whose sync or health changed.
   */
  async recordSuccess(
    providerId: string,
    resources: LiveResource[],
    now: Date,
  ): Promise<{
    changed: Array<{
      resource: LiveResource;
      previous?: { sync: string; health: string };
    }>;
    /** The provider's previous poll had failed. */
    recovered: boolean;
    /** Whether the resources differ from the last successful poll's. */
    updated: boolean;
    /** Rows written (inserted or changed) and deleted. */
    written: number;
    deleted: number;
    /** The provider's resources as now stored, when this poll wrote its image. */
    image?: StoredImage;
  }> {
    const at = now.toISOString();
    // Digests only: the JSON is made again for the rows written, so a poll
    // holds no second copy of every resource.
    // A key reported twice is one row: the last report wins.
    const byKey = new Map<string, { resource: LiveResource; digest: string }>();
    for (const resource of resources) {
      byKey.delete(resource.key);
      byKey.set(resource.key, { resource, digest: resourceDigest(resource) });
      // Tens of thousands of digests: let requests in between.
      if (byKey.size % 500 === 0) await new Promise(setImmediate);
    }
    const rows = [...byKey.values()];
    byKey.clear();
    const version = versionOf(
      rows.map(r => ({ key: r.resource.key, digest: r.digest })),
    );
    return this.knex.transaction(async tx => {
      // The state and its image's version and format, in one read.
      const previousState = await tx('gitops_provider_state as s')
        .leftJoin('gitops_snapshot_images as i', join =>
          join.on('i.provider_id', 's.provider_id').andOnVal('i.piece', 0),
        )
        .where('s.provider_id', providerId)
        .first(
          's.*',
          'i.resources_version as image_version',
          'i.format as image_format',
        );
      const recovered = Boolean(previousState && !previousState.ok);
      const imageCurrent =
        previousState?.image_version === version &&
        previousState.image_format === IMAGE_FORMAT;
      const updated = previousState?.resources_version !== version;
      const state = {
        provider_id: providerId,
        ok: true,
        error: null,
        last_attempt_at: at,
        last_success_at: at,
        failing_since: null,
        resources_version: version,
      };
      if (!updated && imageCurrent) {
        // Nothing changed since the last successful poll: keep the rows.
        await tx('gitops_provider_state')
          .where({ provider_id: providerId })
          .update(state);
        return {
          changed: [],
          recovered,
          updated: false,
          written: 0,
          deleted: 0,
        };
      }
      const existing = new Map<
        string,
        { digest: string | null; sync: string; health: string; since: string }
      >();
      for (const row of await tx('gitops_live_resources')
        .where({ provider_id: providerId })
        .select('resource_key', 'digest', 'sync', 'health', 'since')) {
        existing.set(row.resource_key, row);
      }
      const changed: Array<{
        resource: LiveResource;
        previous?: { sync: string; health: string };
      }> = [];
      const writes: Array<{
        resource: LiveResource;
        digest: string;
        since: string;
      }> = [];
      // The image of the rows as they will be, built on the way.
      const compact = new CompactResources(providerId);
      for (const { resource, digest } of rows) {
        const before = existing.get(resource.key);
        existing.delete(resource.key);
        if (before?.digest === digest) {
          compact.add(resource, before.since);
          continue;
        }
        const same =
          before &&
          before.sync === resource.sync &&
          before.health === resource.health;
        if (!same) changed.push({ resource, previous: before });
        const since = stateSince(resource, before, at);
        compact.add(resource, since);
        writes.push({ resource, digest, since });
      }
      const gone = [...existing.keys()];
      // Chunked: SQLite limits the number of bound parameters per statement.
      for (let i = 0; i < gone.length; i += 500) {
        await tx('gitops_live_resources')
          .where({ provider_id: providerId })
          .whereIn('resource_key', gone.slice(i, i + 500))
          .delete();
      }
      for (let i = 0; i < writes.length; i += 100) {
        await tx('gitops_live_resources')
          .insert(
            writes.slice(i, i + 100).map(({ resource, digest, since }) => ({
              provider_id: providerId,
              resource_key: resource.key,
              payload: JSON.stringify(resource),
              digest,
              sync: resource.sync,
              health: resource.health,
              since,
              seen_at: at,
            })),
          )
          .onConflict(['provider_id', 'resource_key'])
          .merge();
      }
      compact.seal();
      const pieces = await gzipPieces(compact.imageParts());
      await tx('gitops_snapshot_images')
        .where({ provider_id: providerId })
        .delete();
      // One piece per statement: the driver's buffers stay that small.
      for (let piece = 0; piece < pieces.length; piece++) {
        await tx('gitops_snapshot_images').insert({
          provider_id: providerId,
          piece,
          resources_version: version,
          format: IMAGE_FORMAT,
          pieces: pieces.length,
          bytes: pieces[piece],
          written_at: at,
        });
      }
      await tx('gitops_provider_state')
        .insert(state)
        .onConflict('provider_id')
        .merge();
      return {
        changed,
        recovered,
        updated,
        written: writes.length,
        deleted: gone.length,
        image: { providerId, version, resources: compact },
      };
    });
  }

  /** Records a failed poll; the provider's resources stay as last known. Returns the previous state. */
  async recordFailure(
    providerId: string,
    error: string,
    now: Date,
  ): Promise<ProviderState | undefined> {
    const at = now.toISOString();
    return this.knex.transaction(async tx => {
      const before = await tx('gitops_provider_state')
        .where({ provider_id: providerId })
        .first();
      await tx('gitops_provider_state')
        .insert({
          provider_id: providerId,
          ok: false,
          error,
          last_attempt_at: at,
          last_success_at: before?.last_success_at ?? null,
          failing_since: before && !before.ok ? before.failing_since : at,
        })
        .onConflict('provider_id')
        .merge();
      return before ? toProviderState(before) : undefined;
    });
  }

  /** The outcome of each provider's last poll: one small query. */
  async readProviderStates(): Promise<ProviderState[]> {
    const states = await this.knex('gitops_provider_state').select('*');
    return states.map(toProviderState);
  }

  /**
   * A provider's resources, in pages of {@link PAGE_ROWS} rows by key, each
   * handed to `onRow` as it is parsed: a load never holds every payload.
   */
  async readProviderResources(
    providerId: string,
    onRow: (resource: LiveResource, since: string) => void,
    pageRows = PAGE_ROWS,
  ): Promise<number> {
    const fetchPage = (after?: string) => {
      const query = this.knex('gitops_live_resources')
        .where({ provider_id: providerId })
        .orderBy('resource_key')
        .limit(pageRows)
        .select('resource_key', 'payload', 'since');
      if (after !== undefined) query.andWhere('resource_key', '>', after);
      const page: Promise<
        Array<{ resource_key: string; payload: string; since: string }>
      > = query.then(rows => rows);
      page.catch(() => {}); // awaited below, unless parsing stopped first
      return page;
    };
    let count = 0;
    let pending = fetchPage();
    for (;;) {
      const page = await pending;
      const full = page.length === pageRows;
      // The database sends the next page while this one is parsed.
      if (full) pending = fetchPage(page[page.length - 1].resource_key);
      for (let i = 0; i < page.length; i++) {
        onRow(JSON.parse(page[i].payload), page[i].since);
        // Let requests in between: a page is thousands of payloads.
        if (i % 500 === 499) await new Promise(setImmediate);
      }
      count += page.length;
      if (!full) return count;
    }
  }

  /**
   * The stored images of these providers at these versions, in one query;
   * a provider without one (none, another format, another version) is not
   * in the answer: load its rows. A damaged image is a
   * {@link SnapshotImageError} in its place.
   */
  async readProviderImages(
    wanted: Array<{ providerId: string; version: string }>,
  ): Promise<Map<string, CompactResources | SnapshotImageError>> {
    const out = new Map<string, CompactResources | SnapshotImageError>();
    if (wanted.length === 0) return out;
    const versions = new Map(wanted.map(w => [w.providerId, w.version]));
    const rows: Array<{
      provider_id: string;
      resources_version: string;
      piece: number;
      pieces: number;
      bytes: Buffer;
    }> = await this.knex('gitops_snapshot_images')
      .whereIn('provider_id', [...versions.keys()])
      .andWhere({ format: IMAGE_FORMAT })
      .orderBy(['provider_id', 'piece'])
      .select('provider_id', 'resources_version', 'piece', 'pieces', 'bytes');
    const byProvider = new Map<string, typeof rows>();
    for (const row of rows) {
      if (versions.get(row.provider_id) !== row.resources_version) continue;
      const pieces = byProvider.get(row.provider_id) ?? [];
      pieces.push(row);
      byProvider.set(row.provider_id, pieces);
    }
    for (const [id, pieces] of byProvider) {
      try {
        // Written in one transaction, so all there; checked all the same.
        const whole = pieces.every(
          (p, i) => p.piece === i && p.pieces === pieces.length,
        );
        if (!whole) {
          throw new SnapshotImageError(`snapshot image of ${id}: incomplete`);
        }
        out.set(
          id,
          await readImage(id, Buffer.concat(pieces.map(p => p.bytes))),
        );
      } catch (e) {
        if (!(e instanceof SnapshotImageError)) throw e;
        out.set(id, e);
      }
    }
    return out;
  }

  /** Every provider's state and resources; for tests and tools. */
  async readAll(): Promise<{
    resources: SnapshotResource[];
    providers: ProviderState[];
  }> {
    const providers = await this.readProviderStates();
    const resources: SnapshotResource[] = [];
    for (const { providerId } of providers) {
      await this.readProviderResources(providerId, (resource, since) =>
        resources.push({ providerId, resource, since }),
      );
    }
    return { resources, providers };
  }
}

/** A provider's resources as a poll stored them, with their version. */
export interface StoredImage {
  providerId: string;
  version: string;
  resources: CompactResources;
}

async function readImage(providerId: string, image: Buffer) {
  let bytes: Buffer;
  try {
    // gzip's CRC also tells a damaged value from a good one.
    bytes = await gunzip(image);
  } catch (e) {
    throw new SnapshotImageError(
      `snapshot image of ${providerId}: ${
        (e as NodeJS.ErrnoException).code ?? 'not gzip'
      }`,
    );
  }
  return CompactResources.fromImage(providerId, bytes);
}

function toProviderState(row: any): ProviderState {
  return {
    providerId: row.provider_id,
    ok: Boolean(row.ok),
    error: row.error ?? undefined,
    lastAttemptAt: row.last_attempt_at,
    lastSuccessAt: row.last_success_at ?? undefined,
    failingSince: row.failing_since ?? undefined,
    resourcesVersion: row.resources_version ?? undefined,
  };
}
