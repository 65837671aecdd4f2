import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  DesiredServiceState,
  GitopsRepositoryReader,
  parseServiceFolder,
} from '@goldenpath/plugin-gitops-node';
import { NotFoundError } from '@backstage/errors';
import { createHash } from 'node:crypto';
import { databaseErrorCode } from '../redact';
import type { DesiredIndexStore } from './DesiredIndexStore';

const yieldToRequests = () => new Promise(resolve => setImmediate(resolve));

function folderDigest(files: Map<string, string>): string {
  const hash = createHash('sha1');
  for (const [path, content] of [...files].sort(([a], [b]) =>
    a < b ? -1 : 1,
  )) {
    hash.update(path);
    hash.update('\0');
    hash.update(content);
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * A copy of a parsed state that holds only its own strings: values the
 * YAML parser cut out of a file's text would otherwise keep the whole text
 * alive. Values repeated across services (environment names, controllers,
 * the revision) are shared through `shared`.
 */
function ownStrings(
  state: DesiredServiceState,
  shared: Map<string, string>,
): DesiredServiceState {
  return JSON.parse(JSON.stringify(state), (_key, value) => {
    if (typeof value !== 'string') return value;
    const known = shared.get(value);
    if (known !== undefined) return known;
    if (shared.size < 10_000) shared.set(value, value);
    return value;
  });
}

/**
 * What Git wants, for every service folder of the GitOps repository, kept in
 * memory like the live-state snapshot so that status requests never read
 * Git. `refresh` (scheduled) re-reads the repository only when its version
 * changed and re-parses only the folders whose files changed, yielding to
 * requests between folders.
 *
 * With a `store`, the index is kept in the database after each read that
 * changed it, and a starting backend answers from the stored index while
 * its first read checks the repository's version (and re-parses nothing
 * when the repository did not move).
 *
 * A path missing from the index is answered as missing: a request never
 * reads Git, so no user can make the backend call the Git host. A failed
 * refresh keeps the last good index, reported as stale until the next
 * success.
 */
export class DesiredStateIndex {
  private index?: {
    version?: string;
    revision?: string;
    byPath: Map<string, { digest: string; state: DesiredServiceState }>;
  };
  private refreshing?: Promise<void>;
  private failingSince?: string;
  private storedRead = false;
  /** Resolves when there is an index to answer from (stored or read). */
  private readonly indexed: Promise<void>;
  private markIndexed!: () => void;

  constructor(
    private readonly options: {
      reader: GitopsRepositoryReader;
      appsPath: string;
      logger: LoggerService;
      store?: DesiredIndexStore;
    },
  ) {
    this.indexed = new Promise(resolve => {
      this.markIndexed = resolve;
    });
  }

  /** Services in the index; for logs and tests. */
  get size(): number {
    return this.index?.byPath.size ?? 0;
  }

  /**
   * When the last good index is served because refreshes fail: the time of
   * the first failed refresh since the last good one.
   */
  get staleSince(): string | undefined {
    return this.index ? this.failingSince : undefined;
  }

  /**
   * The desired state of a service folder from memory. Before the first
   * read of the repository has finished, waits for it (one read, shared).
   * Rejects with a message fit for a response when the folder is not in
   * the index or the repository was never read.
   */
  async get(path: string): Promise<DesiredServiceState> {
    await this.ready();
    return this.lookup(path);
  }

  /** Resolves once `lookup` can answer: the first read is in (or failed). */
  async ready(): Promise<void> {
    if (!this.index && this.refreshing) {
      await Promise.race([this.refreshing.catch(() => {}), this.indexed]);
    }
  }

  /** `get` without waiting: after `ready`, for many paths at once. */
  lookup(path: string): DesiredServiceState {
    const index = this.index;
    if (!index) {
      throw new Error(
        this.failingSince
          ? 'the GitOps repository could not be read; the backend log says why'
          : 'the GitOps repository has not been read yet',
      );
    }
    const indexed = index.byPath.get(path);
    if (indexed) return indexed.state;
    throw new NotFoundError(
      `${path} is not a service folder of the GitOps repository${
        index.revision ? ` at ${index.revision.slice(0, 12)}` : ''
      } (a folder committed since appears at the next check of the repository)`,
    );
  }

  /**
   * Re-reads the repository if it changed. Concurrent calls share one read.
   * A failure keeps the last good index and rejects.
   */
  refresh(): Promise<void> {
    this.refreshing ??= this.load()
      .then(
        () => {
          this.failingSince = undefined;
        },
        e => {
          this.failingSince ??= new Date().toISOString();
          throw e;
        },
      )
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  private async load() {
    const { reader, appsPath, logger } = this.options;
    const started = performance.now();
    if (!reader.readAll) {
      throw new Error('the repository reader cannot list the apps folder');
    }
    if (!this.index && !this.storedRead && this.options.store) {
      this.storedRead = true;
      const stored = await this.options.store.read().catch(e => {
        logger.warn(
          `GitOps repository: the stored index could not be read (${databaseErrorCode(
            e,
          )}); reading the repository`,
        );
        return undefined;
      });
      if (stored) {
        // Parsed from JSON: its strings are its own already.
        this.index = {
          version: stored.version,
          revision: stored.revision,
          byPath: new Map(
            stored.entries.map(([path, digest, state]) => [
              path,
              { digest, state },
            ]),
          ),
        };
        this.markIndexed();
        logger.info(
          `GitOps repository: answering from the stored index (${
            this.index.byPath.size
          } services${
            stored.version ? ` at ${stored.version}` : ''
          }) while checking the repository, ${Math.round(
            performance.now() - started,
          )} ms`,
        );
      }
    }
    const read = await reader.readAll(appsPath, {
      version: this.index?.version,
    });
    if (!read) return;
    const previous = this.index?.byPath;
    const byPath = new Map<
      string,
      { digest: string; state: DesiredServiceState }
    >();
    let parsed = 0;
    const shared = new Map<string, string>();
    for await (const folder of read.folders) {
      const digest = folderDigest(folder.files);
      const before = previous?.get(folder.path);
      if (before && before.digest === digest) {
        byPath.set(folder.path, before);
        continue;
      }
      byPath.set(folder.path, {
        digest,
        state: ownStrings(
          {
            ...parseServiceFolder(folder.path, folder.files),
            ...(read.revision ? { revision: read.revision } : {}),
          },
          shared,
        ),
      });
      parsed++;
      if (parsed % 20 === 0) await yieldToRequests();
    }
    this.index = { version: read.version, revision: read.revision, byPath };
    this.markIndexed();
    if (this.options.store) {
      // A failed write only costs the next start a full read.
      await this.options.store
        .write({
          version: read.version,
          revision: read.revision,
          entries: [...byPath].map(([path, { digest, state }]) => [
            path,
            digest,
            state,
          ]),
        })
        .catch(e =>
          logger.warn(
            `GitOps repository: the index was not stored (${databaseErrorCode(
              e,
            )}); the next start reads the whole repository`,
          ),
        );
    }
    // The first read is part of the start-up: at info, with its time.
    (previous ? logger.debug : logger.info).call(
      logger,
      `GitOps repository${read.version ? ` at ${read.version}` : ''}: ${
        byPath.size
      } services, ${parsed} parsed in ${Math.round(
        performance.now() - started,
      )} ms`,
    );
  }
}
