import { ConfigReader } from '@backstage/config';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { LocalGitRepository } from '@goldenpath/plugin-gitops-node';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRepositoryCommitAction } from './repositoryCommit';

// The git CLI, isolated from the machine's git config.
const git = (dir: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Cli',
      GIT_AUTHOR_EMAIL: 'cli@example.com',
      GIT_COMMITTER_NAME: 'Cli',
      GIT_COMMITTER_EMAIL: 'cli@example.com',
    },
  }).trimEnd();

/** Commits, branch, index and working tree as the CLI sees them. */
const snapshot = (dir: string) =>
  fs.existsSync(path.join(dir, '.git'))
    ? {
        log: git(dir, 'log', '--format=%H %s', '--all'),
        status: git(dir, 'status', '--porcelain', '--untracked-files=all'),
        files: git(dir, 'ls-files', '--stage'),
      }
    : 'no repository';

const service = {
  'apps/svc/base/deployment.yaml': 'kind: Deployment\n',
  'apps/svc/catalog-info.yaml': 'kind: Component\n',
};

interface Attack {
  attack: string;
  /** Prepares the workspace and the repository (false: no repository). */
  setup?: (w: string, repo: string) => void;
  repository?: boolean;
  input?: Record<string, string>;
  dryRun?: boolean;
  refusal?: { name: string; message: string };
}

const attacks: Attack[] = [
  {
    attack: 'a dry run on a machine without the repository',
    repository: false,
    dryRun: true,
  },
  {
    attack: 'a dry run on an existing repository',
    dryRun: true,
  },
  {
    attack: 'a file staged by someone else inside the target folder',
    setup: (_w, repo) => {
      fs.mkdirSync(path.join(repo, 'apps/svc'), { recursive: true });
      fs.writeFileSync(path.join(repo, 'apps/svc/theirs.yaml'), 'x: 1\n');
      git(repo, 'add', 'apps/svc/theirs.yaml');
      fs.rmSync(path.join(repo, 'apps'), { recursive: true });
    },
    refusal: {
      name: 'ConflictError',
      message:
        'apps/svc already exists in the GitOps repository; refusing to overwrite it',
    },
  },
  {
    attack: 'another git process holds .git/index.lock',
    setup: (_w, repo) =>
      fs.writeFileSync(path.join(repo, '.git/index.lock'), ''),
    refusal: {
      name: 'ConflictError',
      message:
        'The GitOps repository is busy: another git process has held .git/index.lock for 0.1s. Try again later; if no git process is running, one crashed and .git/index.lock can be removed.',
    },
  },
  ...['.git/hooks', 'apps/.GIT/svc', 'a/.Git/b'].map(targetPath => ({
    attack: `targetPath ${targetPath}`,
    input: { sourcePath: 'apps/svc', targetPath },
    refusal: {
      name: 'InputError',
      message: `targetPath "${targetPath}" must not contain a ".git" segment (in any case)`,
    },
  })),
  {
    attack: 'a .Git folder in the source',
    setup: w => {
      fs.mkdirSync(path.join(w, 'apps/svc/.Git'));
      fs.writeFileSync(path.join(w, 'apps/svc/.Git/config'), '[core]\n');
    },
    refusal: {
      name: 'InputError',
      message:
        'sourcePath contains ".Git": a ".git" segment (in any case) is never committed',
    },
  },
  {
    attack: 'a symbolic link in the source to a file outside the workspace',
    setup: (w, repo) => {
      const secret = path.join(repo, '..', 'secret.txt');
      fs.writeFileSync(secret, 'not for the repository\n');
      fs.symlinkSync(secret, path.join(w, 'apps/svc/base/secret.yaml'));
    },
    refusal: {
      name: 'InputError',
      message:
        'sourcePath contains a symbolic link "base/secret.yaml"; symbolic links are not committed',
    },
  },
  {
    attack: 'a symbolic link to a folder in the source',
    setup: w =>
      fs.symlinkSync(path.join(w, 'apps'), path.join(w, 'apps/svc/loop')),
    refusal: {
      name: 'InputError',
      message:
        'sourcePath contains a symbolic link "loop"; symbolic links are not committed',
    },
  },
  {
    attack: 'sourcePath itself a symbolic link',
    setup: w => fs.symlinkSync(path.join(w, 'apps/svc'), path.join(w, 'link')),
    input: { sourcePath: 'link', targetPath: 'apps/svc' },
    refusal: {
      name: 'InputError',
      message:
        'sourcePath is a symbolic link; symbolic links are not committed',
    },
  },
  {
    attack: 'a folder of the repository linked outside it',
    setup: (_w, repo) => {
      fs.mkdirSync(path.join(repo, '..', 'elsewhere'));
      fs.symlinkSync(
        path.join(repo, '..', 'elsewhere'),
        path.join(repo, 'apps'),
      );
    },
    refusal: {
      name: 'NotAllowedError',
      message:
        'targetPath "apps/svc" leads outside the GitOps repository through a symbolic link',
    },
  },
  {
    attack: 'a folder of the repository linked inside it',
    setup: (_w, repo) => {
      fs.mkdirSync(path.join(repo, 'other'));
      fs.symlinkSync(path.join(repo, 'other'), path.join(repo, 'apps'));
    },
    refusal: {
      name: 'NotAllowedError',
      message:
        'targetPath "apps/svc": "apps" is a symbolic link in the GitOps repository; the repository is never written through symbolic links',
    },
  },
];

describe('gitops:repository:commit attacks', () => {
  const dirs = createMockDirectory();
  const config = new ConfigReader({});

  it.each(attacks)(
    '$attack',
    async ({ setup, repository = true, input, dryRun, refusal }) => {
      dirs.clear();
      dirs.setContent(
        Object.fromEntries(
          Object.entries(service).map(([p, c]) => [`workspace/${p}`, c]),
        ),
      );
      const workspace = path.join(dirs.path, 'workspace');
      const repo = path.join(dirs.path, 'gitops');
      if (repository) {
        fs.mkdirSync(repo);
        git(repo, 'init', '-q', '-b', 'main');
        fs.writeFileSync(path.join(repo, 'README.md'), '# repo\n');
        fs.writeFileSync(path.join(repo, 'notes.txt'), 'staged by a person\n');
        git(repo, 'add', 'README.md');
        git(repo, 'commit', '-q', '-m', 'init');
        git(repo, 'add', 'notes.txt');
      }
      setup?.(workspace, repo);
      const before = snapshot(repo);

      const logger = mockServices.logger.mock();
      const ctx = createMockActionContext({
        input: (input ?? { sourcePath: 'apps/svc' }) as any,
        workspacePath: workspace,
        logger,
      });
      Object.assign(ctx, { isDryRun: !!dryRun });
      const action = createRepositoryCommitAction({
        repository: new LocalGitRepository(repo, { lockTimeoutMs: 100 }),
        config,
      });
      const error = await action.handler(ctx).then(
        () => undefined,
        (e: Error) => ({ name: e.name, message: e.message }),
      );

      expect(error).toEqual(refusal);
      // A dry run reports what it would commit; a refusal reports nothing.
      expect((logger.info as jest.Mock).mock.calls).toEqual(
        refusal ? [] : [['Would commit 2 files to apps/svc']],
      );
      expect((ctx.output as jest.Mock).mock.calls).toEqual(
        refusal
          ? []
          : [
              ['commitHash', ''],
              ['path', 'apps/svc'],
              [
                'files',
                ['apps/svc/base/deployment.yaml', 'apps/svc/catalog-info.yaml'],
              ],
              ['catalogInfoPath', 'apps/svc/catalog-info.yaml'],
            ],
      );
      // Nothing committed, staged, written or left behind.
      expect(snapshot(repo)).toEqual(before);
      expect(fs.existsSync(repo)).toBe(repository);
      expect(fs.existsSync(path.join(repo, 'apps/svc'))).toBe(false);
      expect(fs.existsSync(path.join(repo, '.git/goldenpath-staging'))).toBe(
        false,
      );
    },
  );

  it('a file staged by someone else stays staged and out of our commit', async () => {
    dirs.clear();
    dirs.setContent({
      'workspace/apps/svc/a.yaml': 'a: 1\n',
      'gitops/README.md': '# repo\n',
      'gitops/notes.txt': 'staged by a person\n',
    });
    const repo = path.join(dirs.path, 'gitops');
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', 'README.md');
    git(repo, 'commit', '-q', '-m', 'init');
    git(repo, 'add', 'notes.txt');
    const ctx = createMockActionContext({
      input: { sourcePath: 'apps/svc' },
      workspacePath: path.join(dirs.path, 'workspace'),
    });
    await createRepositoryCommitAction({
      repository: new LocalGitRepository(repo),
      config,
    }).handler(ctx);

    expect(git(repo, 'show', '--name-only', '--format=%s', 'HEAD')).toBe(
      'Add apps/svc\n\napps/svc/a.yaml',
    );
    expect(git(repo, 'status', '--porcelain')).toBe('A  notes.txt');
  });
});
