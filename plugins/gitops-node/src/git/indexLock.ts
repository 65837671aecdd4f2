import { ConflictError } from '@backstage/errors';
import fs from 'fs-extra';
import path from 'node:path';

/** How long to wait for another git process, and how often to look. */
export interface IndexLockTiming {
  timeoutMs: number;
  retryMs: number;
}

/**
 * git's own lock on a repository: `<gitdir>/index.lock`, created with
 * O_EXCL. While we hold it, the git CLI refuses to commit, add or check out
 * (and we wait while it holds it), so the two never interleave.
 *
 * The lock file is also where the new index is written (as git does):
 * `commit()` renames it over `index`, `release()` drops it and leaves the
 * index as it was.
 */
export class IndexLock {
  private done = false;

  private constructor(readonly indexPath: string, readonly lockPath: string) {}

  static async acquire(
    gitdir: string,
    timing: IndexLockTiming,
  ): Promise<IndexLock> {
    const indexPath = path.join(gitdir, 'index');
    const lockPath = `${indexPath}.lock`;
    const start = Date.now();
    for (;;) {
      try {
        await (await fs.promises.open(lockPath, 'wx')).close();
        return new IndexLock(indexPath, lockPath);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      if (Date.now() - start >= timing.timeoutMs) {
        throw new ConflictError(
          `The GitOps repository is busy: another git process has held .git/index.lock for ${
            timing.timeoutMs / 1000
          }s. Try again later; if no git process is running, one crashed and .git/index.lock can be removed.`,
        );
      }
      await new Promise(r => setTimeout(r, timing.retryMs));
    }
  }

  /** Makes the index written into the lock file the index, and unlocks. */
  async commit(): Promise<void> {
    if (this.done) return;
    this.done = true;
    if ((await fs.stat(this.lockPath)).size === 0) {
      // Nothing was written: keep the index as it is.
      await fs.unlink(this.lockPath);
    } else {
      await fs.rename(this.lockPath, this.indexPath);
    }
  }

  /** Unlocks, leaving the index as it was. Safe to call after commit(). */
  async release(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await fs.unlink(this.lockPath).catch(() => undefined);
  }
}
