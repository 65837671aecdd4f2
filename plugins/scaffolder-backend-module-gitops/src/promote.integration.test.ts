import { createServiceFactory } from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
// The gate reads the real status backend, as in the portal (test only).
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import gitopsPlugin from '@goldenpath/plugin-gitops-backend';
import {
  LocalGitRepository,
  generateService,
  readPlatformProfile,
} from '@goldenpath/plugin-gitops-node';
import { ConfigReader } from '@backstage/config';
import {
  fakeApplication,
  FakeArgoCd,
  startFakeArgoCd,
} from '@internal/fake-argocd';
import fs from 'fs-extra';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { scaffolderModuleGitops } from './module';

// The gitops-promote template of this repository, run by the real
// scaffolder against the real status backend, a local GitOps repository and
// the fake Argo CD: the promotion as the portal runs it.
jest.setTimeout(120_000);

const template = parse(
  fs.readFileSync(
    path.resolve(
      __dirname,
      '../../../examples/templates/gitops-promote/template.yaml',
    ),
    'utf8',
  ),
);
template.metadata.namespace = 'default';

const TOKEN = 'argocd-token-for-the-promotion-test';
const image = 'registry.example.com/inference-api';
const gitopsConfig = {
  repository: { url: 'https://git.example.com/gitops.git' },
  environments: [
    { name: 'staging', defaultTag: 'latest' },
    { name: 'production', replicas: 3, tagPolicy: 'immutable' },
  ],
};
const component = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'inference-api',
    namespace: 'default',
    annotations: {
      'gitops/path': 'apps/inference-api',
      'argocd/app-selector': 'app.kubernetes.io/name=inference-api',
      'backstage.io/kubernetes-id': 'inference-api',
    },
  },
  spec: { type: 'service', owner: 'group:default/ml-team' },
};

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();

describe('the gitops-promote template on the real scaffolder and status backends', () => {
  const dirs = createMockDirectory();
  let argo: FakeArgoCd;
  let repoDir: string;

  beforeEach(async () => {
    dirs.clear();
    repoDir = path.join(dirs.path, 'gitops');
    // The service as the golden path writes it, committed.
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
      readPlatformProfile(new ConfigReader({ gitops: gitopsConfig })),
    );
    const source = path.join(dirs.path, 'generated');
    for (const file of generated.files) {
      await fs.outputFile(path.join(source, file.path), file.content);
    }
    await new LocalGitRepository(repoDir).commitFolder({
      sourceDir: source,
      targetPath: 'apps/inference-api',
      message: 'Add inference-api',
      author: { name: 'Test', email: 'test@example.com' },
    });
  });
  afterEach(() => argo?.close());

  async function start(stagingHealth: string) {
    argo = await startFakeArgoCd({
      token: TOKEN,
      applications: [
        fakeApplication({
          service: 'inference-api',
          environment: 'staging',
          images: [`${image}:v1.5.0`],
          health: stagingHealth,
          ...(stagingHealth === 'Healthy'
            ? {}
            : {
                sync: 'OutOfSync',
                healthSince: '2026-11-20T21:14:03Z',
              }),
        }),
        fakeApplication({
          service: 'inference-api',
          environment: 'production',
          images: [`${image}:v1.4.1`],
        }),
      ],
    });
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleGitops,
        gitopsPlugin,
        // The real scheduler, so the status backend polls the fake Argo CD.
        schedulerServiceFactory,
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () =>
            catalogServiceMock({ entities: [template, component] }),
        }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.rootConfig.factory({
          data: {
            scaffolder: {
              defaultAuthor: { name: 'Portal', email: 'portal@example.com' },
            },
            gitops: {
              ...gitopsConfig,
              repository: {
                ...gitopsConfig.repository,
                localPath: repoDir,
                cacheTtl: { milliseconds: 200 },
              },
              argocd: {
                pollInterval: { milliseconds: 300 },
                instances: [{ name: 'main', url: argo.url, token: TOKEN }],
              },
            },
          },
        }),
      ],
    });
    // Wait for the first poll: the gate reads the status backend.
    for (let i = 0; ; i++) {
      const res = await request(server)
        .get(
          '/api/gitops/v1/entities/default/component/inference-api/environments',
        )
        .set('Authorization', mockCredentials.user.header());
      if (res.body.environments?.[0]?.live?.health === stagingHealth) break;
      if (i > 200)
        throw new Error(`no live state: ${JSON.stringify(res.body)}`);
      await new Promise(r => setTimeout(r, 100));
    }
    return server;
  }

  async function promote(server: any, values: object) {
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', mockCredentials.user.header())
      .send({ templateRef: 'template:default/gitops-promote', values });
    expect(created.status).toBe(201);
    for (let i = 0; i < 600; i++) {
      const task = await request(server)
        .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
        .set('Authorization', mockCredentials.user.header());
      if (['completed', 'failed', 'cancelled'].includes(task.body.status)) {
        const events = await request(server)
          .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
          .set('Authorization', mockCredentials.user.header());
        const log = (events.body as Array<{ body: any }>)
          .map(e => e.body?.message)
          .filter(Boolean)
          .join('\n');
        return { status: task.body.status as string, log };
      }
      await new Promise(r => setTimeout(r, 100));
    }
    throw new Error('task did not finish');
  }

  it("promotes healthy staging's version to production in one commit changing only production's overlay", async () => {
    const server = await start('Healthy');
    const before = git(repoDir, 'rev-parse', 'HEAD');
    const { status, log } = await promote(server, {
      entityRef: 'component:default/inference-api',
      targetEnvironment: 'production',
      reason: 'smoke tests passed',
    });
    expect({ status, log }).toMatchObject({ status: 'completed' });

    expect(git(repoDir, 'rev-parse', 'HEAD~1')).toBe(before);
    expect(git(repoDir, 'show', '--name-only', '--format=', 'HEAD')).toBe(
      'apps/inference-api/overlays/production/kustomization.yaml',
    );
    expect(git(repoDir, 'log', '-1', '--format=%B').split('\n')).toEqual([
      'Promote inference-api v1.5.0 to production from staging',
      '',
      'Environment: production',
      'Version: v1.4.1 -> v1.5.0',
      'Source: staging',
      expect.stringMatching(
        /^Evidence: staging runs v1\.5\.0, Synced and Healthy( since .*)?$/,
      ),
      'Requested by: user:default/mock',
      'Reason: smoke tests passed',
    ]);
    expect(git(repoDir, 'status', '--porcelain')).toBe('');
    const overlay = parse(
      await fs.readFile(
        path.join(
          repoDir,
          'apps/inference-api/overlays/production/kustomization.yaml',
        ),
        'utf8',
      ),
    );
    expect(overlay.images).toEqual([{ name: image, newTag: 'v1.5.0' }]);

    // The status backend sees Git's new wish at its next check: drift until
    // Argo CD rolls it out.
    let production;
    for (let i = 0; i < 100 && production?.desired?.tag !== 'v1.5.0'; i++) {
      await new Promise(r => setTimeout(r, 100));
      const res = await request(server)
        .get(
          '/api/gitops/v1/entities/default/component/inference-api/environments',
        )
        .set('Authorization', mockCredentials.user.header());
      production = res.body.environments[1];
    }
    expect(production).toMatchObject({
      desired: { tag: 'v1.5.0' },
      live: { images: [`${image}:v1.4.1`] },
      drift: true,
    });
  });

  it('refuses to promote from an unhealthy staging, saying why, and commits nothing', async () => {
    const server = await start('Degraded');
    const before = git(repoDir, 'rev-parse', 'HEAD');
    const { status, log } = await promote(server, {
      entityRef: 'component:default/inference-api',
      targetEnvironment: 'production',
    });
    expect(status).toBe('failed');
    expect(log).toMatch(
      /staging is OutOfSync \/ Degraded since [0-9: -]+ UTC; promoting to production needs staging Synced and Healthy, running what Git wants/,
    );
    expect(git(repoDir, 'rev-parse', 'HEAD')).toBe(before);
    expect(git(repoDir, 'status', '--porcelain')).toBe('');
  });
});
