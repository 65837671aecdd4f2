import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import fs from 'fs-extra';
import nodeFs from 'node:fs';
import path from 'node:path';
import git, { Errors, TreeEntry } from 'isomorphic-git';
import { IndexLock, IndexLockTiming } from './indexLock';
import { checkGitPath } from './paths';
import { readSourceFolder, SOURCE_LIMITS } from './sourceFolder';

/** Who a commit is by. @public */
export interface GitAuthor {
  name: string;
  email: string;
}

/** One file to write, relative to the repository root. @public */
export interface GitFileChange {
  path: string;
  content: string | Uint8Array;
}

/** What {@link LocalGitRepository.commitFiles} commits, and on which conditions. @public */
export interface CommitFilesOptions {
  /** The only files the commit changes; anything else staged stays staged. */
  files: GitFileChange[];
  message: string;
  author: GitAuthor;
  /** ConflictError unless the branch is still at this commit (null: has no commit yet). */
  baseCommit?: string | null;
  /** ConflictError unless each path's blob at the branch head is this id (null: absent). */
  expectedBlobs?: Record<string, string | null>;
  /** Paths (files or folders) that must not exist yet: ConflictError otherwise. */
  mustNotExist?: string[];
  /** Checks everything, writes nothing, and reports the files it would commit. */
  dryRun?: boolean;
}

/** A commit made (commitHash is empty in a dry run). @public */
export interface CommitResult {
  commitHash: string;
  files: string[];
}

/** A file as committed at the branch head. @public */
export interface CommittedFile {
  content: Uint8Array;
  /** Its blob id, for {@link CommitFilesOptions.expectedBlobs}. */
  blob: string;
  /** The commit it was read at, for {@link CommitFilesOptions.baseCommit}. */
  commit: string;
}

const README =
  '# GitOps repository\n\nService folders written by the Backstage golden path live under apps/.\n';

// Under the git folder, so an interrupted run never leaves files in the
// working tree; cleared at the start of every locked run.
const STAGING = 'goldenpath-staging';

// One queue per repository folder, shared by every instance in the process,
// so that runs of this process wait in line instead of polling the lock.
const queues = new Map<string, Promise<unknown>>();

/**
 * The one place that does git on a local GitOps working tree: the
 * `gitops:repository:commit` action, the local reader and the demo seed
 * script all go through it.
 *
 * Commits hold git's own `.git/index.lock` (so the git CLI and the portal
 * never interleave), contain exactly the listed files (whatever else is
 * staged stays staged and out of the commit), refuse `.git` segments and
 * symbolic links, and either land completely or leave the working tree,
 * index and branch as they were.
 *
 * @public
 */
export class LocalGitRepository {
  readonly dir: string;
  private readonly gitdir: string;
  private readonly branch: string;
  private readonly lockTiming: IndexLockTiming;

  constructor(
    dir: string,
    options?: {
      /** Branch of a repository created by {@link LocalGitRepository.ensureExists}; default main. */
      branch?: string;
      /** How long a commit waits for another git process's index.lock; default 10 s. */
      lockTimeoutMs?: number;
    },
  ) {
    this.dir = path.resolve(dir);
    this.gitdir = path.join(this.dir, '.git');
    this.branch = options?.branch ?? 'main';
    this.lockTiming = {
      timeoutMs: options?.lockTimeoutMs ?? 10_000,
      retryMs: 50,
    };
  }

  /** Whether the folder is a git working tree. */
  async exists(): Promise<boolean> {
    return !!(
      await fs.lstat(this.gitdir).catch(() => undefined)
    )?.isDirectory();
  }

  /** The branch head's commit and the index's mtime; undefined outside git or before the first commit. */
  async headState(): Promise<
    { commit: string; indexMtimeMs: number } | undefined
  > {
    if (!(await this.exists())) return undefined;
    const commit = await this.headCommit();
    if (!commit) return undefined;
    const index = await fs
      .stat(path.join(this.gitdir, 'index'))
      .catch(() => undefined);
    return { commit, indexMtimeMs: index?.mtimeMs ?? 0 };
  }

  /**
   * The absolute path of `relPath` for reading. Its real path (symbolic
   * links followed) must stay inside the repository.
   */
  resolvePath(relPath: string, field = 'path'): string {
    const problem = checkGitPath(relPath);
    if (problem) throw new InputError(`${field} "${relPath}" ${problem}`);
    try {
      return resolveSafeChildPath(this.dir, relPath);
    } catch {
      throw new NotAllowedError(
        `${field} "${relPath}" leads outside the GitOps repository through a symbolic link`,
      );
    }
  }

  /** A file at the branch head, or undefined when it is not committed. */
  async readCommittedFile(relPath: string): Promise<CommittedFile | undefined> {
    const file = this.checkPath(relPath, 'path');
    const commit = (await this.exists()) && (await this.headCommit());
    if (!commit) return undefined;
    const blob = await this.blobAt(commit, file);
    if (!blob) return undefined;
    const { blob: content } = await git.readBlob({
      fs: nodeFs,
      dir: this.dir,
      oid: blob,
    });
    return { content, blob, commit };
  }

  /**
   * The files of a folder at the branch head (paths relative to the folder)
   * with their blob ids, or undefined when the branch has no such folder.
   * Symbolic links and submodules are left out: they are not files.
   */
  async readCommittedFolder(relPath: string): Promise<
    | {
        files: Map<string, Uint8Array>;
        blobs: Map<string, string>;
        revision: string;
      }
    | undefined
  > {
    const folder = this.checkPath(relPath, 'path');
    const revision = (await this.exists()) && (await this.headCommit());
    if (!revision) return undefined;
    const files = new Map<string, Uint8Array>();
    const blobs = new Map<string, string>();
    const walk = async (oid: string, prefix: string) => {
      const { tree } = await git.readTree({ fs: nodeFs, dir: this.dir, oid });
      for (const entry of tree) {
        const rel = `${prefix}${entry.path}`;
        if (entry.type === 'tree') {
          await walk(entry.oid, `${rel}/`);
        } else if (entry.mode === '100644' || entry.mode === '100755') {
          if (files.size >= SOURCE_LIMITS.files) {
            throw new InputError(
              `path "${folder}" has more than ${SOURCE_LIMITS.files} files`,
            );
          }
          const { blob } = await git.readBlob({
            fs: nodeFs,
            dir: this.dir,
            oid: entry.oid,
          });
          files.set(rel, blob);
          blobs.set(rel, entry.oid);
        }
      }
    };
    try {
      const { oid } = await git.readTree({
        fs: nodeFs,
        dir: this.dir,
        oid: revision,
        filepath: folder,
      });
      await walk(oid, '');
    } catch (e) {
      if (
        e instanceof Errors.NotFoundError ||
        e instanceof Errors.ObjectTypeError
      ) {
        return undefined;
      }
      throw e;
    }
    return { files, blobs, revision };
  }

  /**
   * One level of a folder at the branch head: the names of its files and of
   * its folders (symbolic links and submodules left out), with the commit
   * read. Empty lists when the folder is not committed; undefined before the
   * first commit.
   */
  async listCommittedFolder(
    relPath: string,
  ): Promise<
    { commit: string; files: string[]; folders: string[] } | undefined
  > {
    const folder = this.checkPath(relPath, 'path');
    const commit = (await this.exists()) && (await this.headCommit());
    if (!commit) return undefined;
    let tree: TreeEntry[];
    try {
      ({ tree } = await git.readTree({
        fs: nodeFs,
        dir: this.dir,
        oid: commit,
        filepath: folder,
      }));
    } catch (e) {
      if (
        e instanceof Errors.NotFoundError ||
        e instanceof Errors.ObjectTypeError
      ) {
        return { commit, files: [], folders: [] };
      }
      throw e;
    }
    return {
      commit,
      files: tree
        .filter(e => e.mode === '100644' || e.mode === '100755')
        .map(e => e.path),
      folders: tree.filter(e => e.type === 'tree').map(e => e.path),
    };
  }

  /** Creates the repository, with one initial commit, unless it exists. */
  ensureExists(author: GitAuthor): Promise<void> {
    return this.serialized(() => this.doEnsureExists(author));
  }

  /**
   * Commits `files` in one commit on the checked-out branch, writing them to
   * the working tree and the index too.
   */
  async commitFiles(options: CommitFilesOptions): Promise<CommitResult> {
    const plan = this.plan(options);
    if (options.dryRun) {
      if (await this.assertRepositoryFolder()) await this.check(plan);
      return { commitHash: '', files: plan.paths };
    }
    return this.serialized(async () => {
      if (!(await this.exists())) {
        throw new NotFoundError('The GitOps repository does not exist yet');
      }
      return this.doCommitFiles(plan);
    });
  }

  /**
   * Copies the files of `sourceDir` to `targetPath` (which must not exist
   * yet) and commits them in one commit, creating the repository first when
   * needed. In a dry run nothing is created: it reports what it would commit.
   */
  async commitFolder(options: {
    sourceDir: string;
    targetPath: string;
    message: string;
    author: GitAuthor;
    dryRun?: boolean;
  }): Promise<CommitResult> {
    const target = this.checkPath(options.targetPath, 'targetPath');
    const source = await readSourceFolder(options.sourceDir, 'sourcePath');
    if (source.length === 0) {
      throw new InputError('sourcePath has no files to commit');
    }
    const files = source.map(f => {
      const problem = checkGitPath(f.path);
      if (problem) {
        throw new InputError(`sourcePath file "${f.path}" ${problem}`);
      }
      return { path: `${target}/${f.path}`, content: f.content };
    });
    const plan = this.plan(
      {
        files,
        message: options.message,
        author: options.author,
        mustNotExist: [target],
      },
      'targetPath',
    );
    if (options.dryRun) {
      if (await this.assertRepositoryFolder()) await this.check(plan);
      return { commitHash: '', files: plan.paths };
    }
    return this.serialized(async () => {
      await this.doEnsureExists(options.author);
      return this.doCommitFiles(plan);
    });
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = (queues.get(this.dir) ?? Promise.resolve()).then(fn);
    queues.set(
      this.dir,
      run.catch(() => undefined),
    );
    return run;
  }

  private checkPath(value: string, field: string): string {
    const problem = checkGitPath(value);
    if (problem) throw new InputError(`${field} "${value}" ${problem}`);
    return value.replace(/\/+$/, '');
  }

  /** Validates the paths of a commit; no I/O. */
  private plan(options: CommitFilesOptions, field?: string): Plan {
    if (options.files.length === 0) {
      throw new InputError('files must list at least one file');
    }
    const labels = new Map<string, string>();
    const paths = options.files.map((f, i) => {
      const label = field ?? `files[${i}].path`;
      if (f.path.endsWith('/')) {
        throw new InputError(`${label} "${f.path}" must name a file`);
      }
      const p = this.checkPath(f.path, label);
      if (labels.has(p)) {
        throw new InputError(`${label} "${p}" is listed twice`);
      }
      labels.set(p, label);
      return p;
    });
    const sorted = [...paths].sort();
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i].startsWith(`${sorted[i - 1]}/`)) {
        throw new InputError(
          `${labels.get(sorted[i])} "${sorted[i]}" is inside the file "${
            sorted[i - 1]
          }"`,
        );
      }
    }
    const mustNotExist = (options.mustNotExist ?? []).map((p, i) => {
      const label = field ?? `mustNotExist[${i}]`;
      const checked = this.checkPath(p, label);
      labels.set(checked, label);
      return checked;
    });
    const expectedBlobs = Object.entries(options.expectedBlobs ?? {}).map(
      ([p, blob]) => ({ path: this.checkPath(p, 'expectedBlobs'), blob }),
    );
    return { ...options, paths, labels, mustNotExist, expectedBlobs };
  }

  /**
   * False when the folder does not exist or is empty (a commit creates the
   * repository); an InputError when it holds something that is not git.
   */
  private async assertRepositoryFolder(): Promise<boolean> {
    if (await this.exists()) return true;
    const stat = await fs.stat(this.dir).catch(() => undefined);
    if (
      stat &&
      (!stat.isDirectory() || (await fs.readdir(this.dir)).length > 0)
    ) {
      throw new InputError(
        'gitops.repository.localPath points to a folder that is neither empty nor a git repository',
      );
    }
    return false;
  }

  private async doEnsureExists(author: GitAuthor): Promise<void> {
    if (await this.assertRepositoryFolder()) {
      if (await this.headCommit()) return;
    } else {
      await fs.ensureDir(this.dir);
      await git.init({ fs: nodeFs, dir: this.dir, defaultBranch: this.branch });
    }
    try {
      await this.doCommitFiles(
        this.plan({
          files: [{ path: 'README.md', content: README }],
          message: 'Initialize GitOps repository',
          author,
          baseCommit: null,
        }),
      );
    } catch (e) {
      // Another process made the first commit meanwhile.
      if (e instanceof ConflictError && (await this.headCommit())) return;
      throw e;
    }
  }

  private async headCommit(): Promise<string | undefined> {
    try {
      return await git.resolveRef({ fs: nodeFs, dir: this.dir, ref: 'HEAD' });
    } catch (e) {
      if (e instanceof Errors.NotFoundError) return undefined;
      throw e;
    }
  }

  private async blobAt(commit: string, file: string) {
    try {
      const { oid } = await git.readBlob({
        fs: nodeFs,
        dir: this.dir,
        oid: commit,
        filepath: file,
      });
      return oid;
    } catch (e) {
      if (
        e instanceof Errors.NotFoundError ||
        e instanceof Errors.ObjectTypeError
      ) {
        return undefined;
      }
      throw e;
    }
  }

  /**
   * Every refusal that does not need the lock's protection to be right, and
   * the rest again under the lock: read only.
   */
  private async check(plan: Plan): Promise<{ head?: string; ref: string }> {
    const ref = await git.currentBranch({
      fs: nodeFs,
      dir: this.dir,
      fullname: true,
    });
    if (!ref) {
      throw new ConflictError(
        'The GitOps repository has a detached HEAD; check out a branch first',
      );
    }
    const head = await this.headCommit();
    if (
      plan.baseCommit !== undefined &&
      (plan.baseCommit ?? undefined) !== head
    ) {
      throw new ConflictError(
        `The GitOps repository moved on: ${ref.replace(
          /^refs\/heads\//,
          '',
        )} is at ${head ?? 'no commit'}, not at ${
          plan.baseCommit ?? 'no commit'
        }; read it again`,
      );
    }
    for (const p of [...plan.mustNotExist, ...plan.paths]) {
      await this.assertNoLinks(p, plan.labels.get(p)!);
    }

    const status = async (filepaths: string[]) =>
      git.statusMatrix({
        fs: nodeFs,
        dir: this.dir,
        filepaths,
        // Read only: do not refresh the index's stat cache.
        refresh: false,
      });
    for (const p of plan.mustNotExist) {
      if (
        (await lstatOrUndefined(path.join(this.dir, p))) ||
        (await status([p])).length > 0
      ) {
        throw new ConflictError(
          `${p} already exists in the GitOps repository; refusing to overwrite it`,
        );
      }
    }

    const rows = new Map((await status(plan.paths)).map(r => [r[0], r]));
    for (const p of plan.paths) {
      const [, inHead, inWorkdir, inIndex] = rows.get(p) ?? [p, 0, 0, 0];
      const clean =
        (inHead === 1 && inWorkdir === 1 && inIndex === 1) ||
        (inHead === 0 && inWorkdir === 0 && inIndex === 0);
      // An ignored, untracked file is not in the status at all.
      const untracked =
        !rows.has(p) && (await lstatOrUndefined(path.join(this.dir, p)));
      if (!clean || untracked) {
        throw new ConflictError(
          `${p} has changes in the GitOps repository that are not committed (${describeStatus(
            inHead,
            inWorkdir,
            inIndex,
          )}); commit or discard them first`,
        );
      }
    }
    for (const { path: p, blob } of plan.expectedBlobs) {
      const actual = (head && (await this.blobAt(head, p))) || null;
      if (actual !== blob) {
        throw new ConflictError(
          `${p} changed in the GitOps repository since it was read (expected ${
            blob ?? 'no file'
          }, found ${actual ?? 'no file'}); read it again`,
        );
      }
    }
    return { head, ref };
  }

  /** Refuses a path that is, or goes through, a symbolic link. */
  private async assertNoLinks(relPath: string, label: string) {
    this.resolvePath(relPath, label);
    const segments = relPath.split('/');
    for (let i = 1; i <= segments.length; i++) {
      const prefix = segments.slice(0, i).join('/');
      const stat = await lstatOrUndefined(path.join(this.dir, prefix));
      if (!stat) return;
      if (stat.isSymbolicLink()) {
        throw new NotAllowedError(
          `${label} "${relPath}": "${prefix}" is a symbolic link in the GitOps repository; the repository is never written through symbolic links`,
        );
      }
      if (i < segments.length && !stat.isDirectory()) {
        throw new ConflictError(
          `${label} "${relPath}": "${prefix}" is a file in the GitOps repository, not a folder`,
        );
      }
    }
  }

  private async doCommitFiles(plan: Plan): Promise<CommitResult> {
    const lock = await IndexLock.acquire(this.gitdir, this.lockTiming);
    const staging = path.join(this.gitdir, STAGING);
    const placed: Placed[] = [];
    try {
      await fs.remove(staging);
      const { head, ref } = await this.check(plan);

      // Objects first: unreferenced objects are harmless if we fail later.
      const blobs = new Map<string, string>();
      for (const f of plan.files) {
        blobs.set(
          f.path.replace(/\/+$/, ''),
          await git.writeBlob({
            fs: nodeFs,
            dir: this.dir,
            blob:
              typeof f.content === 'string'
                ? Buffer.from(f.content, 'utf8')
                : f.content,
          }),
        );
      }
      const baseTree = head
        ? (await git.readCommit({ fs: nodeFs, dir: this.dir, oid: head }))
            .commit.tree
        : undefined;
      const tree = await this.writeTreeWith(baseTree, blobs, '');
      const now = new Date();
      const who = {
        ...plan.author,
        timestamp: Math.floor(now.getTime() / 1000),
        timezoneOffset: now.getTimezoneOffset(),
      };
      const commitHash = await git.writeCommit({
        fs: nodeFs,
        dir: this.dir,
        commit: {
          message: plan.message.endsWith('\n')
            ? plan.message
            : `${plan.message}\n`,
          tree,
          parent: head ? [head] : [],
          author: who,
          committer: who,
        },
      });

      await this.place(plan.files, staging, placed);
      // The new index goes into the lock file; other staged entries stay.
      await git.add({
        fs: indexInto(lock),
        dir: this.dir,
        filepath: plan.paths,
        force: true,
      });
      if ((await fs.stat(lock.lockPath)).size === 0) {
        throw new Error('The index of the GitOps repository was not updated');
      }
      await this.updateRef(ref, head, commitHash);
      placed.length = 0; // committed: nothing to roll back any more
      await lock.commit();
      return { commitHash, files: plan.paths };
    } catch (e) {
      await this.rollback(placed);
      throw e;
    } finally {
      await fs.remove(staging).catch(() => undefined);
      await lock.release();
    }
  }

  /** Writes a tree: `baseTree` with `changes` (path to blob id) applied. */
  private async writeTreeWith(
    baseTree: string | undefined,
    changes: Map<string, string>,
    prefix: string,
  ): Promise<string> {
    const entries: TreeEntry[] = baseTree
      ? (await git.readTree({ fs: nodeFs, dir: this.dir, oid: baseTree })).tree
      : [];
    const byName = new Map(entries.map(e => [e.path, e]));
    const files = new Map<string, string>();
    const folders = new Map<string, Map<string, string>>();
    for (const [p, oid] of changes) {
      const slash = p.indexOf('/');
      if (slash < 0) {
        files.set(p, oid);
      } else {
        const name = p.slice(0, slash);
        folders.set(
          name,
          (folders.get(name) ?? new Map()).set(p.slice(slash + 1), oid),
        );
      }
    }
    for (const [name, oid] of files) {
      const existing = byName.get(name);
      if (
        existing &&
        existing.mode !== '100644' &&
        existing.mode !== '100755'
      ) {
        throw new ConflictError(
          `${prefix}${name} is ${
            existing.mode === '120000' ? 'a symbolic link' : 'not a file'
          } in the GitOps repository`,
        );
      }
      byName.set(name, {
        mode: existing?.mode ?? '100644',
        path: name,
        oid,
        type: 'blob',
      });
    }
    for (const [name, sub] of folders) {
      const existing = byName.get(name);
      if (existing && existing.type !== 'tree') {
        throw new ConflictError(
          `${prefix}${name} is a file in the GitOps repository, not a folder`,
        );
      }
      byName.set(name, {
        mode: '040000',
        path: name,
        oid: await this.writeTreeWith(existing?.oid, sub, `${prefix}${name}/`),
        type: 'tree',
      });
    }
    return git.writeTree({
      fs: nodeFs,
      dir: this.dir,
      tree: [...byName.values()],
    });
  }

  /**
   * Writes the files under the git folder first, then moves them into the
   * working tree: a new folder in one rename, so an interrupted run leaves
   * either all of it or nothing.
   */
  private async place(
    files: GitFileChange[],
    staging: string,
    placed: Placed[],
  ): Promise<void> {
    for (const f of files) {
      await fs.outputFile(path.join(staging, f.path), f.content);
    }
    // The shallowest missing folder of each file, or the file to replace.
    const units = new Map<string, boolean>();
    for (const f of files) {
      const segments = f.path.split('/');
      let unit = f.path;
      let isNew = false;
      for (let i = 1; i <= segments.length; i++) {
        const prefix = segments.slice(0, i).join('/');
        if (!(await lstatOrUndefined(path.join(this.dir, prefix)))) {
          unit = prefix;
          isNew = true;
          break;
        }
      }
      units.set(unit, isNew);
    }
    for (const [unit, isNew] of units) {
      const from = path.join(staging, unit);
      const to = path.join(this.dir, unit);
      if (isNew) {
        await fs.rename(from, to);
        placed.push({ path: unit });
      } else {
        const original = await fs.readFile(to);
        const { mode } = await fs.stat(to);
        await fs.chmod(from, mode & 0o7777);
        await fs.rename(from, to);
        placed.push({ path: unit, original, mode });
      }
    }
  }

  private async rollback(placed: Placed[]): Promise<void> {
    for (const p of [...placed].reverse()) {
      const target = path.join(this.dir, p.path);
      if (p.original === undefined) {
        await fs.remove(target).catch(() => undefined);
      } else {
        await fs
          .writeFile(target, p.original)
          .then(() => fs.chmod(target, p.mode! & 0o7777))
          .catch(() => undefined);
      }
    }
  }

  /** Moves the branch from `expected` to `oid` under git's ref lock. */
  private async updateRef(
    ref: string,
    expected: string | undefined,
    oid: string,
  ): Promise<void> {
    const refPath = path.join(this.gitdir, ref);
    const lockPath = `${refPath}.lock`;
    await fs.ensureDir(path.dirname(refPath));
    const handle = await fs.promises.open(lockPath, 'wx').catch(e => {
      if (e.code === 'EEXIST') {
        throw new ConflictError(
          `The branch of the GitOps repository is locked by another git process (${ref}.lock); nothing was committed`,
        );
      }
      throw e;
    });
    try {
      await handle.writeFile(`${oid}\n`);
      await handle.close();
      if ((await this.headCommit()) !== expected) {
        throw new ConflictError(
          'The branch of the GitOps repository moved while committing; nothing was committed',
        );
      }
      await fs.rename(lockPath, refPath);
    } catch (e) {
      await handle.close().catch(() => undefined);
      await fs.unlink(lockPath).catch(() => undefined);
      throw e;
    }
  }
}

interface Plan
  extends Omit<CommitFilesOptions, 'mustNotExist' | 'expectedBlobs'> {
  paths: string[];
  labels: Map<string, string>;
  mustNotExist: string[];
  expectedBlobs: Array<{ path: string; blob: string | null }>;
}

interface Placed {
  path: string;
  original?: Buffer;
  mode?: number;
}

function lstatOrUndefined(p: string) {
  return fs.lstat(p).catch(() => undefined);
}

function describeStatus(head: number, workdir: number, index: number) {
  if (head === 0 && workdir === 0) return 'staged, not in the working tree';
  if (head === 0 && index === 0) return 'in the working tree, not committed';
  if (head === 0) return 'staged, not committed';
  if (workdir === 0) return 'deleted in the working tree';
  if (index !== 1) return 'staged';
  return 'modified in the working tree';
}

/** node:fs, except that writes of the index go into the lock file. */
function indexInto(lock: IndexLock) {
  const p = nodeFs.promises;
  return {
    promises: {
      ...p,
      writeFile: (
        file: string,
        data: Parameters<typeof p.writeFile>[1],
        options?: Parameters<typeof p.writeFile>[2],
      ) =>
        p.writeFile(
          path.resolve(file) === lock.indexPath ? lock.lockPath : file,
          data,
          options,
        ),
    },
  };
}
