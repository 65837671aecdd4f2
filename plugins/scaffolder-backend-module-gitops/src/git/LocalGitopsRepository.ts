import { ConflictError, InputError } from '@backstage/errors';
import fs from 'fs-extra';
import git from 'isomorphic-git';
import path from 'node:path';

/** Who a commit is by. */
export interface CommitAuthor {
  name: string;
  email: string;
}

/** The result of {@link LocalGitopsRepository.commitFolder}. */
export interface CommitResult {
  commitHash: string;
  files: string[];
}

// One queue per repository folder, shared by every instance in the process.
const queues = new Map<string, Promise<unknown>>();

/**
 * The embedded-default GitOps repository: a git working tree on the backend's
 * disk, created on first use. Commits are serialized within the process so
 * that two template runs never interleave their index updates.
 */
export class LocalGitopsRepository {
  constructor(readonly dir: string, private readonly branch: string) {}

  /** Creates the repository (with one initial commit) when it does not exist yet. */
  async ensureExists(author: CommitAuthor): Promise<void> {
    if (await fs.pathExists(path.join(this.dir, '.git'))) return;
    if (
      (await fs.pathExists(this.dir)) &&
      (await fs.readdir(this.dir)).length > 0
    ) {
      throw new InputError(
        `gitops.repository.localPath ${this.dir} exists but is not a git repository`,
      );
    }
    await fs.ensureDir(this.dir);
    await git.init({ fs, dir: this.dir, defaultBranch: this.branch });
    await fs.writeFile(
      path.join(this.dir, 'README.md'),
      '# GitOps repository\n\nService folders written by the Backstage golden path live under apps/.\n',
    );
    await git.add({ fs, dir: this.dir, filepath: 'README.md' });
    await git.commit({
      fs,
      dir: this.dir,
      author,
      message: 'Initialize GitOps repository',
    });
  }

  /**
   * Copies `sourceDir` to `targetPath` in the working tree and commits exactly
   * those files, in one commit. An existing target folder is a ConflictError;
   * on any failure the copied files are removed again.
   */
  commitFolder(options: {
    sourceDir: string;
    targetPath: string;
    message: string;
    author: CommitAuthor;
    dryRun?: boolean;
  }): Promise<CommitResult> {
    const key = path.resolve(this.dir);
    const run = (queues.get(key) ?? Promise.resolve()).then(() =>
      this.doCommitFolder(options),
    );
    queues.set(
      key,
      run.catch(() => undefined),
    );
    return run;
  }

  private async doCommitFolder(options: {
    sourceDir: string;
    targetPath: string;
    message: string;
    author: CommitAuthor;
    dryRun?: boolean;
  }): Promise<CommitResult> {
    const { sourceDir, targetPath, message, author } = options;
    const target = path.resolve(this.dir, targetPath);
    if (!target.startsWith(`${path.resolve(this.dir)}${path.sep}`)) {
      throw new InputError(
        `targetPath must be inside the GitOps repository, got "${targetPath}"`,
      );
    }
    const files = (await listFiles(sourceDir)).map(f =>
      path.posix.join(targetPath, f.split(path.sep).join('/')),
    );
    if (files.length === 0) {
      throw new InputError(`sourcePath has no files to commit`);
    }

    await this.ensureExists(author);
    if (await fs.pathExists(target)) {
      throw new ConflictError(
        `${targetPath} already exists in the GitOps repository; refusing to overwrite an existing service folder`,
      );
    }
    if (options.dryRun) {
      return { commitHash: '', files };
    }

    await fs.copy(sourceDir, target, { errorOnExist: true, overwrite: false });
    try {
      for (const filepath of files) {
        await git.add({ fs, dir: this.dir, filepath });
      }
      const commitHash = await git.commit({
        fs,
        dir: this.dir,
        author,
        message,
      });
      return { commitHash, files };
    } catch (e) {
      // Leave the working tree and index as they were.
      for (const filepath of files) {
        await git
          .remove({ fs, dir: this.dir, filepath })
          .catch(() => undefined);
      }
      await fs.remove(target);
      throw e;
    }
  }

  /** The subject lines of the branch's commits, newest first. */
  async log(depth = 20): Promise<Array<{ oid: string; message: string }>> {
    const entries = await git.log({ fs, dir: this.dir, depth });
    return entries.map(e => ({ oid: e.oid, message: e.commit.message.trim() }));
  }
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  const entries = await fs.readdir(path.join(dir, prefix), {
    withFileTypes: true,
  });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === '.git') continue;
      out.push(...(await listFiles(dir, rel)));
    } else if (entry.isFile()) {
      out.push(rel);
    }
  }
  return out;
}
