import type { DesiredServiceState } from '@goldenpath/plugin-gitops-node';
import type { Knex } from 'knex';
import { createHash } from 'node:crypto';

/** The desired-state index as stored: by service folder, its digest and state. */
export interface StoredDesiredIndex {
  version?: string;
  revision?: string;
  entries: Array<[string, string, DesiredServiceState]>;
}

const TABLE = 'gitops_desired_index';

/**
 * The desired-state index in the plugin database (its table comes with the
 * snapshot store's migrations), one row per repository and apps folder.
 * Any replica writes it after a read that changed it; a starting replica
 * reads it before its first read of the repository.
 */
export class DesiredIndexStore {
  private readonly source: string;

  constructor(
    private readonly knex: Knex,
    /** The repository (path or URL) and apps folder the index is of. */
    source: string,
  ) {
    this.source = createHash('sha256').update(source).digest('hex');
  }

  async read(): Promise<StoredDesiredIndex | undefined> {
    const row = await this.knex(TABLE).where({ source: this.source }).first();
    if (!row) return undefined;
    return {
      ...(row.version ? { version: row.version } : {}),
      ...(row.revision ? { revision: row.revision } : {}),
      entries: JSON.parse(row.payload),
    };
  }

  async write(index: StoredDesiredIndex, now = new Date()): Promise<void> {
    await this.knex(TABLE)
      .insert({
        source: this.source,
        version: index.version ?? null,
        revision: index.revision ?? null,
        payload: JSON.stringify(index.entries),
        written_at: now.toISOString(),
      })
      .onConflict('source')
      .merge();
  }
}
