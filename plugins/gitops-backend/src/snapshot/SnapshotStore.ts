import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { LiveResource } from '@goldenpath/plugin-gitops-node';
import { Knex } from 'knex';
import { createHash } from 'node:crypto';

/** A resource of the snapshot, with when its state last changed. */
export interface SnapshotResource {
  providerId: string;
  resource: LiveResource;
  since: string;
}

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

/** A digest of a poll's resources, independent of their order. */
export function resourcesVersion(resources: LiveResource[]): string {
  const hash = createHash('sha256');
  const byKey = (a: LiveResource, b: LiveResource) => {
    if (a.key < b.key) return -1;
    return a.key > b.key ? 1 : 0;
  };
  for (const r of [...resources].sort(byKey)) {
    hash.update(JSON.stringify(r));
    hash.update('\n');
  }
  return hash.digest('hex');
}

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
   * Replaces a provider's resources with those of a successful poll, with
   * `since` from {@link stateSince}. Returns the resources whose state
   * changed.
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
  }> {
    const at = now.toISOString();
    const version = resourcesVersion(resources);
    return this.knex.transaction(async tx => {
      const previousState = await tx('gitops_provider_state')
        .where({ provider_id: providerId })
        .first();
      const recovered = Boolean(previousState && !previousState.ok);
      if (previousState?.resources_version === version) {
        // Nothing changed since the last successful poll: keep the rows.
        await tx('gitops_provider_state')
          .where({ provider_id: providerId })
          .update({
            ok: true,
            error: null,
            last_attempt_at: at,
            last_success_at: at,
            failing_since: null,
          });
        return { changed: [], recovered, updated: false };
      }
      const existing = new Map<
        string,
        { sync: string; health: string; since: string }
      >();
      for (const row of await tx('gitops_live_resources')
        .where({ provider_id: providerId })
        .select('resource_key', 'sync', 'health', 'since')) {
        existing.set(row.resource_key, row);
      }
      const changed: Array<{
        resource: LiveResource;
        previous?: { sync: string; health: string };
      }> = [];
      const rows = resources.map(resource => {
        const before = existing.get(resource.key);
        const same =
          before &&
          before.sync === resource.sync &&
          before.health === resource.health;
        if (!same) changed.push({ resource, previous: before });
        return {
          provider_id: providerId,
          resource_key: resource.key,
          payload: JSON.stringify(resource),
          sync: resource.sync,
          health: resource.health,
          since: stateSince(resource, before, at),
          seen_at: at,
        };
      });
      await tx('gitops_live_resources')
        .where({ provider_id: providerId })
        .delete();
      // Chunked: SQLite limits the number of bound parameters per statement.
      for (let i = 0; i < rows.length; i += 100) {
        await tx('gitops_live_resources').insert(rows.slice(i, i + 100));
      }
      await tx('gitops_provider_state')
        .insert({
          provider_id: providerId,
          ok: true,
          error: null,
          last_attempt_at: at,
          last_success_at: at,
          failing_since: null,
          resources_version: version,
        })
        .onConflict('provider_id')
        .merge();
      return { changed, recovered, updated: true };
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

  async readAll(): Promise<{
    resources: SnapshotResource[];
    providers: ProviderState[];
  }> {
    // States first: rows read after them are at least as new, so a reader
    // that keys its copy by the states' versions never keeps stale rows.
    const states = await this.knex('gitops_provider_state').select('*');
    const rows = await this.knex('gitops_live_resources').select(
      'provider_id',
      'payload',
      'since',
    );
    return {
      resources: rows.map(row => ({
        providerId: row.provider_id,
        resource: JSON.parse(row.payload),
        since: row.since,
      })),
      providers: states.map(toProviderState),
    };
  }
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
