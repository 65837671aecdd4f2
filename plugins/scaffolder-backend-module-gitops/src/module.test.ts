import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'fs-extra';
import git from 'isomorphic-git';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { scaffolderModuleGitops } from './module';

// The golden-path template of this repository, run by the real scaffolder.
const template = parse(
  fs.readFileSync(
    path.resolve(
      __dirname,
      '../../../examples/templates/gitops-service/template.yaml',
    ),
    'utf8',
  ),
);
template.metadata.namespace = 'default';

jest.setTimeout(60_000);

describe('the gitops-service template on the real scaffolder backend', () => {
  const dirs = createMockDirectory();
  beforeEach(() => dirs.clear());

  async function start() {
    // An in-memory catalog holding the template and the owning group, with
    // addLocation observed.
    const catalog = catalogServiceMock({
      entities: [
        template,
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'ml-team', namespace: 'default' },
          spec: { type: 'team', children: [] },
        },
      ],
    });
    jest
      .spyOn(catalog, 'addLocation')
      .mockResolvedValue({ location: {} as any, entities: [], exists: false });
    // The portal's catalog provider picks committed components up; here the
    // catalog answers as if it had.
    const getEntityByRef = catalog.getEntityByRef.bind(catalog);
    jest
      .spyOn(catalog, 'getEntityByRef')
      .mockImplementation(async (ref, options) =>
        String(ref) === 'component:default/my-ai-service'
          ? ({ kind: 'Component', metadata: { name: 'my-ai-service' } } as any)
          : getEntityByRef(ref, options),
      );
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleGitops,
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => catalog,
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            scaffolder: {
              defaultAuthor: {
                name: 'Scaffolder',
                email: 'scaffolder@example.com',
              },
            },
            gitops: {
              repository: {
                localPath: path.join(dirs.path, 'gitops'),
                url: 'https://git.example.com/gitops.git',
              },
            },
          },
        }),
      ],
    });
    return { server, catalog };
  }

  async function runTask(server: any, values: object) {
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', mockCredentials.user.header())
      .send({ templateRef: 'template:default/gitops-service', values });
    expect({ status: created.status, body: created.body }).toMatchObject({
      status: 201,
    });
    for (let i = 0; i < 300; i++) {
      const task = await request(server)
        .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
        .set('Authorization', mockCredentials.user.header());
      if (['completed', 'failed', 'cancelled'].includes(task.body.status)) {
        const events = await request(server)
          .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
          .set('Authorization', mockCredentials.user.header());
        return { task: task.body, events: events.body as Array<{ body: any }> };
      }
      await new Promise(r => setTimeout(r, 100));
    }
    throw new Error('task did not finish');
  }

  const values = {
    name: 'my-ai-service',
    owner: 'group:default/ml-team',
    image: 'registry.example.com/my-ai-service',
    port: 8080,
    readinessPath: '/health/ready',
    livenessPath: '/health/live',
    secrets: [
      { name: 'DATABASE_URL', remoteKey: 'MY_AI_SERVICE_DATABASE_URL' },
      { name: 'API_KEY', remoteKey: 'MY_AI_SERVICE_API_KEY' },
    ],
    environments: [
      { name: 'staging', imageTag: 'latest' },
      { name: 'production', imageTag: 'v1.2.3' },
    ],
    controller: 'argocd',
  };

  it('generates, commits once and registers the component', async () => {
    const { server, catalog } = await start();
    const { task, events } = await runTask(server, values);
    const log = events
      .map(e => e.body?.message)
      .filter(Boolean)
      .join('\n');
    expect({ status: task.status, log }).toMatchObject({ status: 'completed' });

    const repo = path.join(dirs.path, 'gitops');
    const commits = await git.log({ fs, dir: repo });
    expect(commits.map(c => c.commit.message.trim())).toEqual([
      'Add my-ai-service from the GitOps service template',
      'Initialize GitOps repository',
    ]);
    const files = await git.listFiles({ fs, dir: repo });
    expect(files.filter(f => f.startsWith('apps/'))).toEqual([
      'apps/my-ai-service/argocd/production.yaml',
      'apps/my-ai-service/argocd/staging.yaml',
      'apps/my-ai-service/base/deployment.yaml',
      'apps/my-ai-service/base/externalsecret.yaml',
      'apps/my-ai-service/base/kustomization.yaml',
      'apps/my-ai-service/base/service.yaml',
      'apps/my-ai-service/base/serviceaccount.yaml',
      'apps/my-ai-service/catalog-info.yaml',
      'apps/my-ai-service/overlays/production/kustomization.yaml',
      'apps/my-ai-service/overlays/production/patch-replicas.yaml',
      'apps/my-ai-service/overlays/production/patch-resources.yaml',
      'apps/my-ai-service/overlays/production/pdb.yaml',
      'apps/my-ai-service/overlays/staging/kustomization.yaml',
    ]);
    const entity = parse(
      await fs.readFile(
        path.join(repo, 'apps/my-ai-service/catalog-info.yaml'),
        'utf8',
      ),
    );
    expect(entity.metadata.annotations).toEqual({
      'backstage.io/source-template': 'template:default/gitops-service',
      'backstage.io/kubernetes-id': 'my-ai-service',
      'gitops/path': 'apps/my-ai-service',
      'argocd/app-selector': 'app.kubernetes.io/name=my-ai-service',
    });
    expect(entity.spec.owner).toBe('group:default/ml-team');
    // Registered through the catalog provider, not a file location.
    expect(catalog.addLocation).not.toHaveBeenCalled();
    expect(catalog.getEntityByRef).toHaveBeenCalledWith(
      'component:default/my-ai-service',
      expect.anything(),
    );
    expect(task.status).toBe('completed');
  });

  it('dry-runs the whole template as the template editor does: the generated files, and nothing created', async () => {
    const { server, catalog } = await start();
    const res = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header())
      .send({ template, values, directoryContents: [] });
    expect(res.status).toBe(200);
    const files = (res.body.directoryContents as Array<{ path: string }>).map(
      f => f.path,
    );
    expect(files).toEqual(
      expect.arrayContaining([
        'apps/my-ai-service/base/deployment.yaml',
        'apps/my-ai-service/overlays/production/kustomization.yaml',
        'apps/my-ai-service/catalog-info.yaml',
      ]),
    );
    expect(res.body.output.links).toEqual([
      expect.objectContaining({ entityRef: 'component:default/my-ai-service' }),
    ]);
    expect(await fs.pathExists(path.join(dirs.path, 'gitops'))).toBe(false);
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  it('fails on bad input with a message naming the field, and commits and registers nothing', async () => {
    const { server, catalog } = await start();
    const { task, events } = await runTask(server, {
      ...values,
      environments: [{ name: 'production', imageTag: 'latest' }],
    });
    expect(task.status).toBe('failed');
    const log = events
      .map(e => e.body?.message)
      .filter(Boolean)
      .join('\n');
    expect(log).toMatch(/environments\[0\]\.imageTag "latest" is a moving tag/);
    expect(await fs.pathExists(path.join(dirs.path, 'gitops'))).toBe(false);
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  it('refuses a secret value at the form schema, before a task exists', async () => {
    const { server } = await start();
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', mockCredentials.user.header())
      .send({
        templateRef: 'template:default/gitops-service',
        values: {
          ...values,
          secrets: [{ name: 'API_KEY', remoteKey: 'k', value: 'hunter2' }],
        },
      });
    // The form's items are closed (additionalProperties: false), so the
    // value is never stored with a task.
    expect(created.status).toBe(400);
    expect(created.body.errors.map((e: { stack: string }) => e.stack)).toEqual([
      'instance.secrets[0] is not allowed to have the additional property "value"',
    ]);
    const tasks = await request(server)
      .get('/api/scaffolder/v2/tasks')
      .set('Authorization', mockCredentials.user.header());
    expect(tasks.body.tasks).toEqual([]);
    expect(await fs.pathExists(path.join(dirs.path, 'gitops'))).toBe(false);
  });
});
