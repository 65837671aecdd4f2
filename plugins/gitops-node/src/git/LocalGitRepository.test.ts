import { createMockDirectory } from '@backstage/backend-test-utils';
import fsExtra from 'fs-extra';
import git from 'isomorphic-git';
import fs from 'node:fs';
import path from 'node:path';
import { LocalGitRepository } from './LocalGitRepository';
import { cli, cliCommitHoldingLock, cliRepository, snapshot } from './testGit';

const author = { name: 'Portal', email: 'portal@example.com' };

describe('LocalGitRepository (against the git CLI)', () => {
  const root = createMockDirectory();
  let dir: string;
  beforeEach(() => {
    root.clear();
    dir = path.join(root.path, 'gitops');
  });
  afterEach(() => jest.restoreAllMocks());

  const write = (rel: string, content: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  };
  const filesOf = (rev: string) =>
    cli(dir, 'show', '--name-only', '--format=', rev).split('\n');

  it('creates a repository the CLI reads, with one initial commit, once', async () => {
    const repo = new LocalGitRepository(dir, { branch: 'trunk' });
    await repo.ensureExists(author);
    await repo.ensureExists(author);
    expect(cli(dir, 'log', '--format=%s %an <%ae>')).toBe(
      'Initialize GitOps repository Portal <portal@example.com>',
    );
    expect(cli(dir, 'branch', '--show-current')).toBe('trunk');
    expect(cli(dir, 'status', '--porcelain')).toBe('');
    expect(await repo.headState()).toEqual({
      commit: cli(dir, 'rev-parse', 'HEAD'),
      indexMtimeMs: expect.any(Number),
    });
  });

  it('commits exactly the listed files: a file staged by someone else stays staged and out of the commit', async () => {
    cliRepository(dir);
    write('notes.txt', 'staged by someone else\n');
    cli(dir, 'add', 'notes.txt');
    write('README.md', '# repo, edited but not staged\n');
    const before = cli(dir, 'rev-parse', 'HEAD');

    const result = await new LocalGitRepository(dir).commitFiles({
      files: [
        { path: 'apps/a/base/deployment.yaml', content: 'kind: Deployment\n' },
        { path: 'apps/a/catalog-info.yaml', content: 'kind: Component\n' },
      ],
      message: 'Add a',
      author,
    });

    expect(cli(dir, 'rev-parse', 'HEAD')).toBe(result.commitHash);
    expect(cli(dir, 'rev-parse', 'HEAD^')).toBe(before);
    expect(filesOf('HEAD')).toEqual([
      'apps/a/base/deployment.yaml',
      'apps/a/catalog-info.yaml',
    ]);
    expect(cli(dir, 'log', '-1', '--format=%s|%an|%cn')).toBe(
      'Add a|Portal|Portal',
    );
    expect(cli(dir, 'ls-tree', '-r', '--name-only', 'HEAD')).not.toContain(
      'notes.txt',
    );
    // Still staged, and the edited README is still only edited.
    expect(cli(dir, 'status', '--porcelain').split('\n')).toEqual([
      ' M README.md',
      'A  notes.txt',
    ]);
    expect(cli(dir, 'fsck', '--no-progress')).toBe('');
  });

  it('updates a committed file when it is still what was read, and refuses when it changed underneath', async () => {
    cliRepository(dir);
    const repo = new LocalGitRepository(dir);
    const read = await repo.readCommittedFile('README.md');
    expect(Buffer.from(read!.content).toString()).toBe('# repo\n');
    expect(read!.blob).toBe(cli(dir, 'rev-parse', 'HEAD:README.md'));

    await repo.commitFiles({
      files: [{ path: 'README.md', content: '# repo v2\n' }],
      expectedBlobs: { 'README.md': read!.blob },
      baseCommit: read!.commit,
      message: 'v2',
      author,
    });
    expect(cli(dir, 'show', 'HEAD:README.md')).toBe('# repo v2');
    expect(cli(dir, 'status', '--porcelain')).toBe('');

    const before = snapshot(dir);
    await expect(
      repo.commitFiles({
        files: [{ path: 'README.md', content: '# repo v3\n' }],
        expectedBlobs: { 'README.md': read!.blob },
        message: 'v3',
        author,
      }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(
        /^README\.md changed in the GitOps repository since it was read/,
      ),
    });
    await expect(
      repo.commitFiles({
        files: [{ path: 'other.md', content: 'x\n' }],
        baseCommit: read!.commit,
        message: 'other',
        author,
      }),
    ).rejects.toThrow(/^The GitOps repository moved on: main is at /);
    expect(snapshot(dir)).toEqual(before);
  });

  it('reads a folder as committed, with blob ids, never the working tree', async () => {
    cliRepository(dir);
    write('apps/a/base/x.yaml', 'x: 1\n');
    write('apps/a/y.yaml', 'y: 1\n');
    fs.symlinkSync('y.yaml', path.join(dir, 'apps/a/link.yaml'));
    cli(dir, 'add', 'apps');
    cli(dir, 'commit', '-q', '-m', 'a');
    write('apps/a/y.yaml', 'y: edited, not committed\n');
    write('apps/a/new.yaml', 'untracked\n');
    const repo = new LocalGitRepository(dir);

    const read = await repo.readCommittedFolder('apps/a/');
    expect(read!.revision).toBe(cli(dir, 'rev-parse', 'HEAD'));
    expect(
      Object.fromEntries(
        [...read!.files].map(([p, c]) => [p, Buffer.from(c).toString()]),
      ),
    ).toEqual({ 'base/x.yaml': 'x: 1\n', 'y.yaml': 'y: 1\n' });
    expect(read!.blobs.get('y.yaml')).toBe(
      cli(dir, 'rev-parse', 'HEAD:apps/a/y.yaml'),
    );
    expect(await repo.readCommittedFolder('apps/none')).toBeUndefined();
    expect(await repo.readCommittedFolder('apps/a/y.yaml')).toBeUndefined();
    await expect(repo.readCommittedFolder('apps/.git')).rejects.toThrow(
      'path "apps/.git" must not contain a ".git" segment (in any case)',
    );
  });

  it('lists one level of a committed folder: files and folders, no links, not the working tree', async () => {
    const repo = new LocalGitRepository(dir);
    expect(await repo.listCommittedFolder('apps')).toBeUndefined();
    cliRepository(dir);
    write('apps/a/catalog-info.yaml', 'kind: Component\n');
    write('apps/b/base/x.yaml', 'x: 1\n');
    write('apps/top.yaml', 'top: 1\n');
    fs.symlinkSync('/etc/passwd', path.join(dir, 'apps/link.yaml'));
    cli(dir, 'add', '-A');
    cli(dir, 'commit', '-q', '-m', 'apps');
    write('apps/c/catalog-info.yaml', 'not committed\n');

    expect(await repo.listCommittedFolder('apps')).toEqual({
      commit: cli(dir, 'rev-parse', 'HEAD'),
      files: ['top.yaml'],
      folders: ['a', 'b'],
    });
    expect(await repo.listCommittedFolder('apps/none')).toEqual({
      commit: cli(dir, 'rev-parse', 'HEAD'),
      files: [],
      folders: [],
    });
  });

  it("keeps a replaced file's mode, and puts the old content back when the commit fails", async () => {
    cliRepository(dir);
    write('run.sh', '#!/bin/sh\necho 1\n');
    fs.chmodSync(path.join(dir, 'run.sh'), 0o755);
    cli(dir, 'add', 'run.sh');
    cli(dir, 'commit', '-q', '-m', 'run');
    const repo = new LocalGitRepository(dir);

    jest.spyOn(git, 'add').mockRejectedValueOnce(new Error('interrupted'));
    const before = snapshot(dir);
    const change = {
      files: [{ path: 'run.sh', content: '#!/bin/sh\necho 2\n' }],
      message: 'run 2',
      author,
    };
    await expect(repo.commitFiles(change)).rejects.toThrow('interrupted');
    expect(fs.readFileSync(path.join(dir, 'run.sh'), 'utf8')).toBe(
      '#!/bin/sh\necho 1\n',
    );
    expect(snapshot(dir)).toEqual(before);

    await repo.commitFiles(change);
    expect(cli(dir, 'ls-tree', 'HEAD', 'run.sh')).toMatch(/^100755 blob /);
    expect(fs.statSync(path.join(dir, 'run.sh')).mode & 0o777).toBe(0o755);
    expect(cli(dir, 'status', '--porcelain')).toBe('');
  });

  it('refuses to overwrite a listed file with changes that are not committed', async () => {
    cliRepository(dir);
    write('README.md', '# my local edit\n');
    const before = snapshot(dir);
    await expect(
      new LocalGitRepository(dir).commitFiles({
        files: [{ path: 'README.md', content: '# portal\n' }],
        message: 'x',
        author,
      }),
    ).rejects.toThrow(
      'README.md has changes in the GitOps repository that are not committed (modified in the working tree); commit or discard them first',
    );
    expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe(
      '# my local edit\n',
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it('waits while the git CLI holds index.lock, then both commits are intact and the history linear', async () => {
    cliRepository(dir);
    write('cli-1.txt', 'from the CLI\n');
    cli(dir, 'add', 'cli-1.txt');
    const cliCommit = await cliCommitHoldingLock(dir, 'cli during', 400);

    const ours = await new LocalGitRepository(dir).commitFiles({
      files: [{ path: 'apps/ours/a.yaml', content: 'a: 1\n' }],
      message: 'ours',
      author,
    });
    await cliCommit.done;
    // The CLI right after us sees our commit in HEAD and in the index.
    write('cli-2.txt', 'after us\n');
    cli(dir, 'add', 'cli-2.txt');
    cli(dir, 'commit', '-q', '-m', 'cli after');

    expect(cli(dir, 'log', '--format=%s')).toBe(
      'cli after\nours\ncli during\ninit',
    );
    expect(cli(dir, 'rev-list', '--min-parents=2', 'HEAD')).toBe('');
    expect(cli(dir, 'rev-parse', 'HEAD~1')).toBe(ours.commitHash);
    expect(filesOf('HEAD~2')).toEqual(['cli-1.txt']);
    expect(filesOf('HEAD~1')).toEqual(['apps/ours/a.yaml']);
    expect(filesOf('HEAD')).toEqual(['cli-2.txt']);
    expect(
      cli(dir, 'ls-tree', '-r', '--name-only', 'HEAD').split('\n'),
    ).toEqual(['README.md', 'apps/ours/a.yaml', 'cli-1.txt', 'cli-2.txt']);
    expect(cli(dir, 'status', '--porcelain')).toBe('');
    expect(fs.existsSync(path.join(dir, '.git/index.lock'))).toBe(false);
  }, 20_000);

  it('gives up with a ConflictError when index.lock stays, and leaves that lock alone', async () => {
    cliRepository(dir);
    fs.writeFileSync(path.join(dir, '.git/index.lock'), '');
    const before = snapshot(dir);
    const started = Date.now();
    await expect(
      new LocalGitRepository(dir, { lockTimeoutMs: 300 }).commitFiles({
        files: [{ path: 'a.txt', content: 'a\n' }],
        message: 'a',
        author,
      }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(
        /^The GitOps repository is busy: another git process has held \.git\/index\.lock/,
      ),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(fs.existsSync(path.join(dir, '.git/index.lock'))).toBe(true);
    fs.rmSync(path.join(dir, '.git/index.lock'));
    expect(snapshot(dir)).toEqual(before);
    expect(fs.existsSync(path.join(dir, 'a.txt'))).toBe(false);
  });

  it('always releases index.lock, also after a refusal', async () => {
    cliRepository(dir);
    const repo = new LocalGitRepository(dir);
    write('apps/a/x.yaml', 'x\n');
    await expect(
      repo.commitFiles({
        files: [{ path: 'apps/a/y.yaml', content: 'y\n' }],
        mustNotExist: ['apps/a'],
        message: 'a',
        author,
      }),
    ).rejects.toThrow(
      'apps/a already exists in the GitOps repository; refusing to overwrite it',
    );
    expect(fs.existsSync(path.join(dir, '.git/index.lock'))).toBe(false);
    cli(dir, 'add', 'apps/a/x.yaml'); // the CLI can lock again
  });

  it('leaves no folder behind when writing fails mid-way', async () => {
    cliRepository(dir);
    const source = path.join(root.path, 'source');
    root.addContent({
      'source/base/a.yaml': 'a\n',
      'source/base/b.yaml': 'b\n',
      'source/c.yaml': 'c\n',
    });
    const before = snapshot(dir);
    const outputFile = fsExtra.outputFile;
    let calls = 0;
    jest.spyOn(fsExtra, 'outputFile').mockImplementation(((
      ...args: Parameters<typeof outputFile>
    ) => {
      calls++;
      if (calls === 2) return Promise.reject(new Error('disk full'));
      return outputFile(...args);
    }) as typeof outputFile);

    await expect(
      new LocalGitRepository(dir).commitFolder({
        sourceDir: source,
        targetPath: 'apps/svc',
        message: 'svc',
        author,
      }),
    ).rejects.toThrow('disk full');
    expect(calls).toBe(2);
    expect(fs.existsSync(path.join(dir, 'apps'))).toBe(false);
    expect(fs.readdirSync(path.join(dir, '.git'))).not.toContain(
      'goldenpath-staging',
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it('removes the copied folder when committing fails after the copy', async () => {
    cliRepository(dir);
    root.addContent({ 'source/a.yaml': 'a\n' });
    const before = snapshot(dir);
    jest.spyOn(git, 'add').mockRejectedValueOnce(new Error('interrupted'));
    await expect(
      new LocalGitRepository(dir).commitFolder({
        sourceDir: path.join(root.path, 'source'),
        targetPath: 'apps/svc',
        message: 'svc',
        author,
      }),
    ).rejects.toThrow('interrupted');
    expect(fs.existsSync(path.join(dir, 'apps'))).toBe(false);
    expect(snapshot(dir)).toEqual(before);
  });

  it('clears what an interrupted run left under .git before committing', async () => {
    cliRepository(dir);
    root.addContent({
      'gitops/.git/goldenpath-staging/apps/old/a.yaml': 'left behind\n',
    });
    await new LocalGitRepository(dir).commitFiles({
      files: [{ path: 'apps/new/a.yaml', content: 'a\n' }],
      message: 'new',
      author,
    });
    expect(fs.existsSync(path.join(dir, '.git/goldenpath-staging'))).toBe(
      false,
    );
    expect(fs.existsSync(path.join(dir, 'apps/old'))).toBe(false);
  });

  it('refuses to write through a symbolic link in the repository', async () => {
    cliRepository(dir);
    const outside = path.join(root.path, 'outside');
    fs.mkdirSync(outside);
    fs.mkdirSync(path.join(dir, 'real'));
    fs.symlinkSync(outside, path.join(dir, 'apps'));
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'inside'));
    const before = snapshot(dir);
    const repo = new LocalGitRepository(dir);
    await expect(
      repo.commitFiles({
        files: [{ path: 'apps/svc/a.yaml', content: 'a\n' }],
        message: 'a',
        author,
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'files[0].path "apps/svc/a.yaml" leads outside the GitOps repository through a symbolic link',
    });
    await expect(
      repo.commitFiles({
        files: [{ path: 'inside/svc/a.yaml', content: 'a\n' }],
        message: 'a',
        author,
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'files[0].path "inside/svc/a.yaml": "inside" is a symbolic link in the GitOps repository; the repository is never written through symbolic links',
    });
    expect(fs.readdirSync(outside)).toEqual([]);
    expect(fs.readdirSync(path.join(dir, 'real'))).toEqual([]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('resolves paths for reading only when their real path stays inside', async () => {
    cliRepository(dir);
    fs.symlinkSync(root.path, path.join(dir, 'escape'));
    const repo = new LocalGitRepository(dir);
    expect(repo.resolvePath('apps/a')).toBe(path.join(dir, 'apps/a'));
    expect(() => repo.resolvePath('escape/x', 'appsPath')).toThrow(
      'appsPath "escape/x" leads outside the GitOps repository through a symbolic link',
    );
    expect(() => repo.resolvePath('a/.Git/b')).toThrow(
      'path "a/.Git/b" must not contain a ".git" segment (in any case)',
    );
  });

  it('checks a dry run fully and creates nothing', async () => {
    root.addContent({ 'source/a.yaml': 'a\n' });
    const repo = new LocalGitRepository(dir);
    const options = {
      sourceDir: path.join(root.path, 'source'),
      targetPath: 'apps/svc',
      message: 'svc',
      author,
      dryRun: true,
    };
    expect(await repo.commitFolder(options)).toEqual({
      commitHash: '',
      files: ['apps/svc/a.yaml'],
    });
    expect(fs.existsSync(dir)).toBe(false);

    cliRepository(dir);
    write('apps/svc/old.yaml', 'old\n');
    const before = snapshot(dir); // git status may refresh the index
    const indexMtime = fs.statSync(path.join(dir, '.git/index')).mtimeMs;
    await expect(repo.commitFolder(options)).rejects.toThrow(
      /^apps\/svc already exists/,
    );
    await expect(
      repo.commitFolder({ ...options, targetPath: 'apps/new' }),
    ).resolves.toEqual({ commitHash: '', files: ['apps/new/a.yaml'] });
    expect(fs.statSync(path.join(dir, '.git/index')).mtimeMs).toBe(indexMtime);
    expect(fs.existsSync(path.join(dir, 'apps/new'))).toBe(false);
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses a folder that is neither empty nor a git repository, naming the key', async () => {
    root.addContent({ 'gitops/important.txt': 'keep\n' });
    await expect(
      new LocalGitRepository(dir).ensureExists(author),
    ).rejects.toThrow(
      'gitops.repository.localPath points to a folder that is neither empty nor a git repository',
    );
    expect(fs.readdirSync(dir)).toEqual(['important.txt']);
  });

  it('serializes commits of one process and keeps each to its own files', async () => {
    const repo = new LocalGitRepository(dir);
    await repo.ensureExists(author);
    await Promise.all(
      ['a', 'b', 'c'].map(name =>
        new LocalGitRepository(dir).commitFiles({
          files: [{ path: `apps/${name}/x.yaml`, content: `${name}\n` }],
          message: `Add ${name}`,
          author,
        }),
      ),
    );
    const subjects = cli(dir, 'log', '--format=%s').split('\n');
    expect(subjects.sort()).toEqual([
      'Add a',
      'Add b',
      'Add c',
      'Initialize GitOps repository',
    ]);
    for (const rev of ['HEAD', 'HEAD~1', 'HEAD~2']) {
      expect(filesOf(rev)).toHaveLength(1);
    }
    expect(cli(dir, 'status', '--porcelain')).toBe('');
  });
});
