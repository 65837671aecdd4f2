import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  DesiredServiceState,
  GitopsRepositoryReader,
  parseServiceFolder,
} from '@goldenpath/plugin-gitops-node';
import { createHash } from 'node:crypto';

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
 * What Git wants, for every service folder of the GitOps repository, kept in
 * memory like the live-state snapshot so that status requests never read
 * Git. `refresh` (scheduled) re-reads the repository only when its version
 * changed and re-parses only the folders whose files changed, yielding to
 * requests between folders.
 *
 * A path missing from the index (outside the apps folder, or committed since
 * the last refresh) is read on demand and cached; once cached it is answered
 * at once and revalidated in the background after `ttlMs`.
 */
export class DesiredStateIndex {
  private index?: {
    version?: string;
    byPath: Map<string, { digest: string; state: DesiredServiceState }>;
  };
  private readonly onDemand = new Map<
    string,
    { at: number; value: Promise<DesiredServiceState>; refreshing?: boolean }
  >();
  private refreshing?: Promise<void>;

  constructor(
    private readonly options: {
      reader: GitopsRepositoryReader;
      appsPath: string;
      ttlMs: number;
      logger: LoggerService;
    },
  ) {}

  /** Services in the index; for logs and tests. */
  get size(): number {
    return this.index?.byPath.size ?? 0;
  }

  get(path: string): Promise<DesiredServiceState> {
    const indexed = this.index?.byPath.get(path);
    if (indexed) return Promise.resolve(indexed.state);
    return this.readOnDemand(path);
  }

  /** Re-reads the repository if it changed. Concurrent calls share one read. */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async load() {
    const { reader, appsPath, logger } = this.options;
    if (!reader.readAll) return;
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
    for await (const folder of read.folders) {
      const digest = folderDigest(folder.files);
      const before = previous?.get(folder.path);
      if (before && before.digest === digest) {
        byPath.set(folder.path, before);
        continue;
      }
      byPath.set(folder.path, {
        digest,
        state: {
          ...parseServiceFolder(folder.path, folder.files),
          ...(read.revision ? { revision: read.revision } : {}),
        },
      });
      parsed++;
      if (parsed % 20 === 0) await yieldToRequests();
    }
    this.index = { version: read.version, byPath };
    // Folders now in the index no longer need their on-demand copies.
    for (const path of byPath.keys()) this.onDemand.delete(path);
    logger.debug(
      `GitOps repository${read.version ? ` at ${read.version}` : ''}: ${
        byPath.size
      } services, ${parsed} parsed`,
    );
  }

  private readOnDemand(path: string): Promise<DesiredServiceState> {
    const cached = this.onDemand.get(path);
    if (cached) {
      if (Date.now() - cached.at >= this.options.ttlMs && !cached.refreshing) {
        cached.refreshing = true;
        const next = this.options.reader.readService(path);
        next.then(
          () => this.onDemand.set(path, { at: Date.now(), value: next }),
          () => this.onDemand.set(path, { at: Date.now(), value: next }),
        );
        next.catch(() => {});
      }
      return cached.value;
    }
    const value = this.options.reader.readService(path);
    this.onDemand.set(path, { at: Date.now(), value });
    // A failed first read is not kept: the next request tries again.
    value.catch(() => {
      if (this.onDemand.get(path)?.value === value) this.onDemand.delete(path);
    });
    return value;
  }
}
