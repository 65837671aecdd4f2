import { ConfigReader } from '@backstage/config';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { LocalGitRepository } from '@goldenpath/plugin-gitops-node';
import fs from 'fs-extra';
import git from 'isomorphic-git';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createRepositoryCommitAction } from './repositoryCommit';

describe('gitops:repository:commit', () => {
  const workspace = createMockDirectory();
  const repoRoot = createMockDirectory();
  const config = new ConfigReader({
    scaffolder: {
      defaultAuthor: { name: 'Portal', email: 'portal@example.com' },
    },
  });
  let repoDir: string;
  beforeEach(() => {
    workspace.clear();
    repoRoot.clear();
    repoDir = path.join(repoRoot.path, 'gitops');
  });

  const run = async (input: object, extra: object = {}) => {
    const action = createRepositoryCommitAction({
      repository: new LocalGitRepository(repoDir, { branch: 'main' }),
      config,
    });
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: workspace.path,
      logger: mockServices.logger.mock(),
    });
    Object.assign(ctx, extra);
    await action.handler(ctx);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  };

  const service = {
    'apps/svc/base/deployment.yaml': 'kind: Deployment\n',
    'apps/svc/overlays/staging/kustomization.yaml': 'kind: Kustomization\n',
    'apps/svc/catalog-info.yaml': 'kind: Component\n',
  };

  it('creates the repository on first use and commits the folder in one commit', async () => {
    workspace.setContent(service);
    const out = await run({ sourcePath: 'apps/svc', commitMessage: 'Add svc' });
    expect(out.files).toEqual([
      'apps/svc/base/deployment.yaml',
      'apps/svc/catalog-info.yaml',
      'apps/svc/overlays/staging/kustomization.yaml',
    ]);
    expect(out.catalogInfoPath).toBe('apps/svc/catalog-info.yaml');
    const log = await git.log({ fs, dir: repoDir });
    expect(log.map(c => c.commit.message.trim())).toEqual([
      'Add svc',
      'Initialize GitOps repository',
    ]);
    expect(log[0].oid).toBe(out.commitHash);
    expect(log[0].commit.author).toMatchObject({
      name: 'Portal',
      email: 'portal@example.com',
    });
    expect(await git.currentBranch({ fs, dir: repoDir })).toBe('main');
    const status = await git.statusMatrix({ fs, dir: repoDir });
    expect(
      status.every(
        ([, head, workdir, stage]) =>
          head === 1 && workdir === 1 && stage === 1,
      ),
    ).toBe(true);
  });

  it('commits as the user who runs the template when the catalog knows their email', async () => {
    workspace.setContent(service);
    await run(
      { sourcePath: 'apps/svc' },
      {
        user: {
          ref: 'user:default/ada',
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'User',
            metadata: { name: 'ada' },
            spec: {
              profile: {
                displayName: 'Ada Lovelace',
                email: 'ada@example.com',
              },
            },
          },
        },
      },
    );
    const [head] = await git.log({ fs, dir: repoDir, depth: 1 });
    expect(head.commit.author).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
    });
    expect(head.commit.message.trim()).toBe('Add apps/svc');
  });

  it('refuses to overwrite an existing service folder and leaves the repository as it was', async () => {
    workspace.setContent(service);
    await run({ sourcePath: 'apps/svc' });
    await fs.writeFile(
      path.join(repoDir, 'apps/svc/base/deployment.yaml'),
      'kind: Deployment # edited\n',
    );
    await expect(run({ sourcePath: 'apps/svc' })).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'apps/svc already exists in the GitOps repository; refusing to overwrite it',
    });
    expect(
      await fs.readFile(
        path.join(repoDir, 'apps/svc/base/deployment.yaml'),
        'utf8',
      ),
    ).toBe('kind: Deployment # edited\n');
    expect(await git.log({ fs, dir: repoDir })).toHaveLength(2);
  });

  it('creates and commits nothing in a dry run, and reports what it would commit', async () => {
    workspace.setContent(service);
    const out = await run({ sourcePath: 'apps/svc' }, { isDryRun: true });
    expect(out.commitHash).toBe('');
    expect(out.files).toEqual([
      'apps/svc/base/deployment.yaml',
      'apps/svc/catalog-info.yaml',
      'apps/svc/overlays/staging/kustomization.yaml',
    ]);
    expect(await fs.pathExists(repoDir)).toBe(false);

    await run({ sourcePath: 'apps/svc', targetPath: 'apps/first' });
    const head = await git.resolveRef({ fs, dir: repoDir, ref: 'HEAD' });
    await run({ sourcePath: 'apps/svc' }, { isDryRun: true });
    expect(await git.resolveRef({ fs, dir: repoDir, ref: 'HEAD' })).toBe(head);
    expect(await fs.pathExists(path.join(repoDir, 'apps/svc'))).toBe(false);
  });

  it.each([
    [
      { sourcePath: '../escape' },
      /^sourcePath must resolve inside the workspace/,
    ],
    [
      { sourcePath: 'apps/missing' },
      /^sourcePath "apps\/missing" is not a folder of the workspace/,
    ],
    [
      { sourcePath: 'apps/svc', targetPath: '../outside' },
      /^targetPath must not contain/,
    ],
    [
      { sourcePath: 'apps/svc', targetPath: '/abs' },
      /^targetPath must be relative/,
    ],
  ])('refuses %j, naming the field', async (input, message) => {
    workspace.setContent(service);
    await expect(run(input)).rejects.toThrow(message);
    expect(await fs.pathExists(repoDir)).toBe(false);
  });

  it('explains itself when no local repository is configured', async () => {
    const action = createRepositoryCommitAction({ config });
    const ctx = createMockActionContext({
      input: { sourcePath: 'apps/svc' },
      workspacePath: workspace.path,
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      /needs gitops\.repository\.localPath/,
    );
  });

  it('serializes concurrent commits', async () => {
    workspace.setContent({ 'a/x.yaml': 'a: 1\n', 'b/y.yaml': 'b: 1\n' });
    await Promise.all([run({ sourcePath: 'a' }), run({ sourcePath: 'b' })]);
    const log = await git.log({ fs, dir: repoDir });
    expect(log.map(c => c.commit.message.trim()).sort()).toEqual([
      'Add a',
      'Add b',
      'Initialize GitOps repository',
    ]);
  });

  describe('files: changed files at their repository paths', () => {
    const overlay = 'apps/svc/overlays/staging/kustomization.yaml';
    const blobOf = async (file: string) =>
      (await new LocalGitRepository(repoDir).readCommittedFile(file))!.blob;

    beforeEach(async () => {
      workspace.setContent(service);
      await run({ sourcePath: 'apps/svc' });
      workspace.clear();
    });

    it('commits exactly the listed file, in one commit, when it has not changed since it was read', async () => {
      const expectedBlob = await blobOf(overlay);
      workspace.setContent({ [overlay]: 'kind: Kustomization\n# v2\n' });
      const out = await run({
        files: [{ path: overlay, expectedBlob }],
        commitMessage: 'Promote svc v2 to staging',
      });
      expect(out).toEqual({
        commitHash: expect.stringMatching(/^[0-9a-f]{40}$/),
        path: 'apps/svc/overlays/staging',
        files: [overlay],
      });
      const [head] = await git.log({ fs, dir: repoDir, depth: 1 });
      expect(head.commit.message.trim()).toBe('Promote svc v2 to staging');
      expect(await fs.readFile(path.join(repoDir, overlay), 'utf8')).toBe(
        'kind: Kustomization\n# v2\n',
      );
      // What the commit changed, as the git CLI reads it.
      const changed = execFileSync(
        'git',
        ['show', '--name-only', '--format=', 'HEAD'],
        { cwd: repoDir, encoding: 'utf8' },
      ).trim();
      expect(changed).toBe(overlay);
    });

    it('refuses, committing nothing, when the file changed underneath', async () => {
      const expectedBlob = await blobOf(overlay);
      // Another commit lands between the promote step's read and this one.
      await new LocalGitRepository(repoDir).commitFiles({
        files: [{ path: overlay, content: 'kind: Kustomization\n# other\n' }],
        message: 'Someone else',
        author: { name: 'Other', email: 'other@example.com' },
      });
      const head = (await git.log({ fs, dir: repoDir, depth: 1 }))[0].oid;
      workspace.setContent({ [overlay]: 'kind: Kustomization\n# v2\n' });
      await expect(
        run({ files: [{ path: overlay, expectedBlob }] }),
      ).rejects.toThrow(
        /^apps\/svc\/overlays\/staging\/kustomization\.yaml changed in the GitOps repository since it was read .*Nothing was committed; run the template again to re-read and re-check$/,
      );
      expect((await git.log({ fs, dir: repoDir, depth: 1 }))[0].oid).toBe(head);
      expect(await fs.readFile(path.join(repoDir, overlay), 'utf8')).toBe(
        'kind: Kustomization\n# other\n',
      );
    });

    it('changes nothing in a dry run', async () => {
      const head = (await git.log({ fs, dir: repoDir, depth: 1 }))[0].oid;
      workspace.setContent({ [overlay]: 'kind: Kustomization\n# v2\n' });
      const out = await run(
        { files: [{ path: overlay, expectedBlob: await blobOf(overlay) }] },
        { isDryRun: true },
      );
      expect(out.commitHash).toBe('');
      expect((await git.log({ fs, dir: repoDir, depth: 1 }))[0].oid).toBe(head);
    });

    it.each([
      [
        { sourcePath: 'apps/svc', files: [{ path: overlay }] },
        'sourcePath and files exclude each other: give a new folder or changed files',
      ],
      [{}, 'sourcePath (a new folder) or files (changed files) is required'],
      [{ files: [] }, 'files must list at least one file'],
      [
        { files: [{ path: 'apps/svc/missing.yaml' }] },
        'files[0].path "apps/svc/missing.yaml" is not a file of the workspace',
      ],
      [{ files: [{ path: '../x.yaml' }] }, /^files\[0\]\.path must/],
      [{ files: [{ path: 'apps/.git/config' }] }, /^files\[0\]\.path /],
    ])('refuses %j, naming the field', async (input, message) => {
      const head = (await git.log({ fs, dir: repoDir, depth: 1 }))[0].oid;
      workspace.setContent({ [overlay]: 'kind: Kustomization\n# v2\n' });
      await expect(run(input)).rejects.toThrow(message);
      expect((await git.log({ fs, dir: repoDir, depth: 1 }))[0].oid).toBe(head);
    });
  });
});
