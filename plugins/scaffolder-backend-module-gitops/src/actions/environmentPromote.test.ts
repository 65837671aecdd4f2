import { ConfigReader } from '@backstage/config';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type {
  EnvironmentStatus,
  EntityEnvironmentsResponse,
} from '@goldenpath/plugin-gitops-common';
import {
  LocalGitRepository,
  LocalServiceFolderSource,
  generateService,
  readPlatformProfile,
} from '@goldenpath/plugin-gitops-node';
import fs from 'fs-extra';
import path from 'node:path';
import { parse } from 'yaml';
import type { GitopsStatusReader } from '../status/GitopsStatusClient';
import { createEnvironmentPromoteAction } from './environmentPromote';
import { examples } from './environmentPromote.examples';

// Renders with the real kubectl kustomize.
jest.setTimeout(60_000);

const profile = readPlatformProfile(
  new ConfigReader({
    gitops: {
      repository: { url: 'https://git.example.com/gitops.git' },
      environments: [
        { name: 'staging', defaultTag: 'latest' },
        {
          name: 'production',
          replicas: 3,
          resourceTier: 'medium',
          tagPolicy: 'immutable',
        },
      ],
    },
  }),
);
const image = 'registry.example.com/inference-api';
const author = { name: 'Test', email: 'test@example.com' };
const overlayPath = 'apps/inference-api/overlays/production/kustomization.yaml';

const component = (name: string, annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { owner: 'group:default/ml-team' },
});
const catalog = catalogServiceMock({
  entities: [
    component('inference-api', { 'gitops/path': 'apps/inference-api' }),
    component('no-annotation', {}),
    component('escaping', { 'gitops/path': 'apps/../secrets' }),
  ],
});

function env(
  name: string,
  wants: string,
  runs: string,
  live: Partial<NonNullable<EnvironmentStatus['live']>> = {},
): EnvironmentStatus {
  return {
    name,
    controller: 'argocd',
    desired: { image, tag: wants },
    live: {
      images: [`${image}:${runs}`],
      sync: 'Synced',
      health: 'Healthy',
      since: '2026-11-22T10:42:00Z',
      ...live,
    },
    drift: wants !== runs,
  };
}

describe('gitops:environment:promote', () => {
  const root = createMockDirectory();
  const workspace = createMockDirectory();
  let repository: LocalGitRepository;
  let statuses: EnvironmentStatus[];
  let history: string[];
  const authorize = jest.fn();
  const status: GitopsStatusReader = {
    environments: jest.fn(
      async (): Promise<EntityEnvironmentsResponse> => ({
        entityRef: 'component:default/inference-api',
        environments: statuses,
      }),
    ),
    history: jest.fn(async () => ({
      items: history.map(version => ({
        version,
        image: `${image}:${version}`,
        since: '2026-11-01T00:00:00Z',
      })),
    })),
  };

  beforeAll(async () => {
    // The service as the golden path writes it, committed to a real repository.
    const generated = generateService(
      {
        name: 'inference-api',
        owner: 'group:default/ml-team',
        image,
        environments: [
          { name: 'staging', imageTag: 'v1.5.0' },
          { name: 'production', imageTag: 'v1.4.1' },
        ],
      },
      profile,
    );
    const source = path.join(root.path, 'generated');
    for (const file of generated.files) {
      await fs.outputFile(path.join(source, file.path), file.content);
    }
    repository = new LocalGitRepository(path.join(root.path, 'gitops'));
    await repository.commitFolder({
      sourceDir: source,
      targetPath: 'apps/inference-api',
      message: 'Add inference-api',
      author,
    });
  });

  beforeEach(() => {
    workspace.clear();
    statuses = [
      env('staging', 'v1.5.0', 'v1.5.0'),
      env('production', 'v1.4.1', 'v1.4.1'),
    ];
    history = ['v1.4.1', 'v1.4.0'];
    authorize.mockResolvedValue([{ result: AuthorizeResult.ALLOW }]);
  });

  const action = () =>
    createEnvironmentPromoteAction({
      profile,
      catalog,
      permissions: mockServices.permissions.mock({ authorize }),
      status,
      source: new LocalServiceFolderSource(repository),
      now: () => new Date('2026-11-23T08:00:00Z'),
    });

  async function run(input: Record<string, unknown>, dryRun = false) {
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: workspace.path,
      logger: mockServices.logger.mock(),
      user: { ref: 'user:default/ada' },
    });
    (ctx as any).isDryRun = dryRun;
    await action().handler(ctx as any);
    return ctx;
  }

  const workspaceFiles = async () =>
    (await fs.readdir(workspace.path, { recursive: true })).filter(f =>
      fs.statSync(path.join(workspace.path, String(f))).isFile(),
    );

  it.each([false, true])(
    "promotes staging's version, writing only the overlay (dry run: %s)",
    async dryRun => {
      const head = (await repository.headState())!.commit;
      const ctx = await run(
        {
          entityRef: 'component:default/inference-api',
          targetEnvironment: 'production',
          reason: 'smoke tests passed',
        },
        dryRun,
      );

      expect(await workspaceFiles()).toEqual([overlayPath]);
      const overlay = parse(
        await fs.readFile(path.join(workspace.path, overlayPath), 'utf8'),
      );
      expect(overlay.images).toEqual([{ name: image, newTag: 'v1.5.0' }]);
      expect(ctx.output).toHaveBeenCalledWith('path', overlayPath);
      expect(ctx.output).toHaveBeenCalledWith('environment', 'production');
      expect(ctx.output).toHaveBeenCalledWith('previousVersion', 'v1.4.1');
      expect(ctx.output).toHaveBeenCalledWith('version', 'v1.5.0');
      expect(ctx.output).toHaveBeenCalledWith('sourceEnvironment', 'staging');
      expect(ctx.output).toHaveBeenCalledWith(
        'commitMessage',
        [
          'Promote inference-api v1.5.0 to production from staging',
          '',
          'Environment: production',
          'Version: v1.4.1 -> v1.5.0',
          'Source: staging',
          'Evidence: staging runs v1.5.0, Synced and Healthy since 2026-11-22 10:42 UTC',
          'Requested by: user:default/ada',
          'Reason: smoke tests passed',
        ].join('\n'),
      );
      const body = (ctx.output as jest.Mock).mock.calls.find(
        ([name]) => name === 'pullRequestBody',
      )![1];
      expect(body).toContain(
        '## Promote inference-api v1.5.0 to production from staging\n\n- Environment: production\n',
      );
      expect(body).toContain('- Reason: smoke tests passed\n');
      expect(body).toMatch(
        /```diff\n--- a\/apps\/inference-api\/overlays\/production\/kustomization\.yaml\n\+\+\+ b\/apps\/inference-api\/overlays\/production\/kustomization\.yaml\n@@ [^\n]+ @@\n(.*\n)*- +newTag: v1\.4\.1\n\+ +newTag: v1\.5\.0\n(.*\n)*```\n$/,
      );
      expect(ctx.output).toHaveBeenCalledWith(
        'expectedBlob',
        (await repository.readCommittedFile(overlayPath))!.blob,
      );
      // The repository is the commit step's: untouched here.
      expect((await repository.headState())!.commit).toBe(head);
      expect(authorize).toHaveBeenCalledWith(
        [
          {
            permission: expect.objectContaining({
              name: 'gitops.environment.promote',
            }),
            resourceRef: 'component:default/inference-api',
          },
        ],
        expect.anything(),
      );
    },
  );

  it('rolls back to a version from the history', async () => {
    statuses = [
      env('staging', 'v1.5.0', 'v1.5.0'),
      env('production', 'v1.4.1', 'v1.4.1'),
    ];
    history = ['v1.4.1', 'v1.4.0'];
    const ctx = await run({
      entityRef: 'inference-api',
      targetEnvironment: 'production',
      version: 'v1.4.0',
    });
    expect(ctx.output).toHaveBeenCalledWith('rollback', true);
    expect(ctx.output).toHaveBeenCalledWith('version', 'v1.4.0');
    expect(ctx.output).toHaveBeenCalledWith(
      'commitMessage',
      expect.stringMatching(
        /^Roll back inference-api in production to v1\.4\.0\n/,
      ),
    );
  });

  it.each([
    [
      'a denied permission',
      { entityRef: 'inference-api', targetEnvironment: 'production' },
      () => authorize.mockResolvedValue([{ result: AuthorizeResult.DENY }]),
      'You may not promote component:default/inference-api (gitops.environment.promote)',
    ],
    [
      'a malformed entityRef',
      { entityRef: 'component:', targetEnvironment: 'production' },
      undefined,
      /^entityRef must be an entity reference/,
    ],
    [
      'an unknown entity',
      { entityRef: 'component:default/nope', targetEnvironment: 'production' },
      undefined,
      'entityRef component:default/nope is not in the catalog',
    ],
    [
      'an entity without gitops/path',
      { entityRef: 'no-annotation', targetEnvironment: 'production' },
      undefined,
      'entityRef component:default/no-annotation has no gitops/path annotation',
    ],
    [
      'a gitops/path out of bounds',
      { entityRef: 'escaping', targetEnvironment: 'production' },
      undefined,
      /^entityRef component:default\/escaping has a gitops\/path that must not contain "." or ".." segments/,
    ],
    [
      'an environment outside the profile',
      { entityRef: 'inference-api', targetEnvironment: 'prod' },
      undefined,
      /^targetEnvironment must be one of the profile's environments \(staging, production\)/,
    ],
    [
      'the first environment without a version',
      { entityRef: 'inference-api', targetEnvironment: 'staging' },
      undefined,
      /^targetEnvironment staging is the first environment/,
    ],
    [
      'an unhealthy source',
      { entityRef: 'inference-api', targetEnvironment: 'production' },
      () => {
        statuses[0] = env('staging', 'v1.5.0', 'v1.5.0', {
          sync: 'OutOfSync',
          health: 'Degraded',
        });
      },
      /^staging is OutOfSync \/ Degraded since 2026-11-22 10:42 UTC/,
    ],
    [
      'a malformed version',
      {
        entityRef: 'inference-api',
        targetEnvironment: 'production',
        version: 'v1 0',
      },
      undefined,
      /^version must be an image tag/,
    ],
    [
      'a version nobody ran',
      {
        entityRef: 'inference-api',
        targetEnvironment: 'production',
        version: 'v9.9.9',
      },
      undefined,
      /^version v9\.9\.9 is not running in staging/,
    ],
    [
      'a moving tag into production',
      { entityRef: 'inference-api', targetEnvironment: 'production' },
      () => {
        statuses[0] = env('staging', 'latest', 'latest');
      },
      /^version latest is a moving tag; production has an immutable tag policy/,
    ],
    [
      'a version production already wants',
      { entityRef: 'inference-api', targetEnvironment: 'production' },
      () => {
        statuses[1] = env('production', 'v1.5.0', 'v1.4.1');
      },
      'production already wants v1.5.0',
    ],
    [
      'a reason with control characters',
      {
        entityRef: 'inference-api',
        targetEnvironment: 'production',
        reason: 'ok\u001b[31m',
      },
      undefined,
      'reason must not contain control characters',
    ],
  ])('refuses %s and writes nothing', async (_, input, setup, message) => {
    setup?.();
    const head = (await repository.headState())!.commit;
    await expect(run(input)).rejects.toThrow(message);
    expect(await workspaceFiles()).toEqual([]);
    expect((await repository.headState())!.commit).toBe(head);
  });

  // Every documented example runs through the action, so examples never rot.
  it.each(examples.map(e => [e.description, e] as const))(
    'runs the example: %s',
    async (_description, example) => {
      const { input } = parse(example.example).steps[0];
      // The rollback example names a version production ran before.
      if (input.version) history = ['v1.4.1', input.version];
      const ctx = await run(input);
      expect(ctx.output).toHaveBeenCalledWith('path', overlayPath);
    },
  );
});
