import type { LiveResource } from '@goldenpath/plugin-gitops-node';
import { Knex } from 'knex';
import { createHash } from 'node:crypto';

/** One run of a set of images by one resource. */
export interface HistoryRun {
  images: string[];
  revision?: string;
  since: string;
  until?: string;
}

/** Runs kept per resource: enough to roll back, bounded for the database. */
export const DEFAULT_HISTORY_LIMIT = 50;

const TABLE = 'gitops_history';
const STATE_TABLE = 'gitops_history_state';

function imagesKey(images: string[]): string {
  return JSON.stringify([...new Set(images)].sort());
}

/**
 * A digest of what `record` compares: each resource's key and image set.
 * Resources without images are left out, as `record` treats them as gone.
 */
export function imagesVersion(resources: LiveResource[]): string {
  const entries = resources
    .filter(r => r.images.length > 0)
    .map(r => JSON.stringify([r.key, imagesKey(r.images)]))
    .sort();
  const hash = createHash('sha256');
  for (const entry of entries) hash.update(`${entry}\n`);
  return hash.digest('hex');
}

/**
 * When a run began: the controller's last sync when it is no later than the
 * poll (it is what brought the images), else the poll.
 */
function startOf(resource: LiveResource, now: Date): string {
  // Compared and stored as dates: controllers write `...T10:00:00Z`.
  const synced = resource.lastSyncedAt
    ? new Date(resource.lastSyncedAt)
    : undefined;
  return synced && synced.getTime() <= now.getTime()
    ? synced.toISOString()
    : now.toISOString();
}

/**
 * The images each live resource has run, in the plugin database, so a
 * restarted or another replica answers the same history.
 */
export class HistoryStore {
  constructor(
    private readonly knex: Knex,
    private readonly limit = DEFAULT_HISTORY_LIMIT,
  ) {}

  /**
   * Records a provider's poll: a resource whose images differ from its open
   * run closes that run and opens a new one; a resource no longer reported
   * closes its run. Pass the transaction the snapshot is written in, so both
   * change together.
   */
  async record(
    providerId: string,
    resources: LiveResource[],
    now: Date,
    tx: Knex | Knex.Transaction = this.knex,
  ): Promise<number> {
    const at = now.toISOString();
    const open = new Map<string, { id: number; images: string }>();
    for (const row of await tx(TABLE)
      .where({ provider_id: providerId })
      .whereNull('until')
      .select('id', 'resource_key', 'images')) {
      open.set(row.resource_key, { id: Number(row.id), images: row.images });
    }
    const close: number[] = [];
    const opened: LiveResource[] = [];
    for (const resource of resources) {
      if (resource.images.length === 0) continue;
      const current = open.get(resource.key);
      open.delete(resource.key);
      if (current?.images === imagesKey(resource.images)) continue;
      if (current) close.push(current.id);
      opened.push(resource);
    }
    for (const gone of open.values()) close.push(gone.id);

    for (let i = 0; i < close.length; i += 500) {
      await tx(TABLE)
        .whereIn('id', close.slice(i, i + 500))
        .update({ until: at });
    }
    for (let i = 0; i < opened.length; i += 200) {
      await tx(TABLE).insert(
        opened.slice(i, i + 200).map(r => ({
          provider_id: providerId,
          resource_key: r.key,
          images: imagesKey(r.images),
          revision: r.revision ?? null,
          since: startOf(r, now),
          until: null,
        })),
      );
    }
    // Only resources past the limit are trimmed: one count per 500 opened.
    const keys = opened.map(r => r.key);
    for (let i = 0; i < keys.length; i += 500) {
      const over = await tx(TABLE)
        .where({ provider_id: providerId })
        .whereIn('resource_key', keys.slice(i, i + 500))
        .groupBy('resource_key')
        .havingRaw('count(*) > ?', [this.limit])
        .pluck('resource_key');
      for (const key of over) await this.trim(tx, providerId, key);
    }
    return opened.length;
  }

  /**
   * Records a successful poll unless it reports the images the provider's
   * last recorded poll did: then it reads one row and writes nothing. The
   * runs and the digest change in one transaction, so a failed write is
   * retried by the next poll. Returns the number of runs opened.
   */
  async recordPoll(
    providerId: string,
    resources: LiveResource[],
    now: Date,
  ): Promise<number> {
    const version = imagesVersion(resources);
    return this.knex.transaction(async tx => {
      const state = await tx(STATE_TABLE)
        .where({ provider_id: providerId })
        .first('images_version');
      if (state?.images_version === version) return 0;
      const opened = await this.record(providerId, resources, now, tx);
      await tx(STATE_TABLE)
        .insert({ provider_id: providerId, images_version: version })
        .onConflict('provider_id')
        .merge();
      return opened;
    });
  }

  /** A resource's runs, newest first. */
  async list(providerId: string, resourceKey: string): Promise<HistoryRun[]> {
    const rows = await this.knex(TABLE)
      .where({ provider_id: providerId, resource_key: resourceKey })
      .orderBy('id', 'desc')
      .limit(this.limit)
      .select('images', 'revision', 'since', 'until');
    return rows.map(row => ({
      images: JSON.parse(row.images),
      ...(row.revision ? { revision: row.revision } : {}),
      since: row.since,
      ...(row.until ? { until: row.until } : {}),
    }));
  }

  private async trim(
    tx: Knex | Knex.Transaction,
    providerId: string,
    resourceKey: string,
  ) {
    const boundary = await tx(TABLE)
      .where({ provider_id: providerId, resource_key: resourceKey })
      .orderBy('id', 'desc')
      .offset(this.limit)
      .first('id');
    if (!boundary) return;
    await tx(TABLE)
      .where({ provider_id: providerId, resource_key: resourceKey })
      .where('id', '<=', boundary.id)
      .delete();
  }
}
