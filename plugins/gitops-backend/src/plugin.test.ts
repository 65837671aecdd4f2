import {
  createServiceFactory,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  fakeApplication,
  FakeArgoCd,
  startFakeArgoCd,
} from '@internal/fake-argocd';
import request from 'supertest';
import {
  component,
  goldenPathAnnotations,
  profileConfig,
  serviceFiles,
} from './__testUtils__/fixtures';
import { gitopsPlugin } from './plugin';

const TOKEN = 'argocd-secret-token-6f1e';

describe('gitops backend plugin', () => {
  const repo = createMockDirectory();
  let argo: FakeArgoCd;
  let tasks: Map<
    string,
    SchedulerServiceTaskInvocationDefinition &
      SchedulerServiceTaskScheduleDefinition
  >;
  const logger = mockServices.logger.mock();

  beforeAll(async () => {
    repo.setContent({
      ...serviceFiles('inference-api', {
        staging: 'latest',
        production: 'v1.2.3',
      }),
      ...serviceFiles('checkout-web', {
        staging: 'latest',
        production: 'v2.0.0',
      }),
    });
  });
  beforeEach(async () => {
    argo = await startFakeArgoCd({
      token: TOKEN,
      applications: [
        fakeApplication({
          service: 'inference-api',
          environment: 'staging',
          images: ['registry.example.com/inference-api:latest'],
        }),
        fakeApplication({
          service: 'inference-api',
          environment: 'production',
          images: ['registry.example.com/inference-api:v1.2.2'],
          sync: 'OutOfSync',
          health: 'Degraded',
          healthSince: '2026-11-20T21:14:03Z',
          resources: [
            {
              group: 'apps',
              version: 'v1',
              kind: 'Deployment',
              namespace: 'inference-api-production',
              name: 'inference-api',
              status: 'OutOfSync',
              health: {
                status: 'Degraded',
                message: `Deployment "inference-api" exceeded its progress deadline; ${'details '.repeat(
                  40,
                )}`,
              },
            },
          ],
          operation: {
            phase: 'Failed',
            message:
              'one or more synchronization tasks completed unsuccessfully (retried 5 times).',
            finishedAt: '2026-11-20T21:09:00Z',
          },
        }),
      ],
    });
    tasks = new Map();
    jest.clearAllMocks();
  });
  afterEach(() => argo.close());

  const entities = [
    component('inference-api', goldenPathAnnotations('inference-api')),
    component('checkout-web', goldenPathAnnotations('checkout-web')),
    component('legacy-batch'),
  ];

  async function start(
    options: {
      permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
      instances?: object[];
      /** In place of the default `gitops.argocd` keys, but the instances. */
      argocd?: object;
    } = {},
  ) {
    const { server } = await startTestBackend({
      features: [
        gitopsPlugin,
        mockServices.rootConfig.factory({
          data: {
            gitops: {
              ...profileConfig,
              repository: {
                ...profileConfig.repository,
                localPath: repo.path,
                cacheTtl: { milliseconds: 0 },
              },
              argocd: {
                ...(options.argocd ?? {
                  requestTimeout: { milliseconds: 300 },
                }),
                instances: options.instances ?? [
                  { name: 'main', url: argo.url, token: TOKEN },
                ],
              },
            },
          },
        }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.permissions.factory({
          result: options.permission ?? AuthorizeResult.ALLOW,
        }),
        logger.factory,
        // Polls run when the test says so, not on a timer.
        mockServices.scheduler.mock({
          scheduleTask: jest.fn(async task => {
            tasks.set(task.id, task);
          }),
        }).factory,
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => catalogServiceMock({ entities }),
        }),
      ],
    });
    return server;
  }

  const poll = async (id = 'gitops-poll-argocd:main') => {
    await tasks.get(id)!.fn(new AbortController().signal);
  };
  const get = (server: any, name: string) =>
    request(server)
      .get(`/api/gitops/v1/entities/default/component/${name}/environments`)
      .set('Authorization', mockCredentials.user.header());

  it('polls each instance on its schedule with global scope, and warns once about a deprecated key', async () => {
    await start({
      argocd: {
        pollInterval: { seconds: 7 },
        schedule: { frequency: { minutes: 1 }, timeout: { seconds: 10 } },
      },
      instances: [
        { name: 'main', url: argo.url, token: TOKEN },
        {
          name: 'dr',
          url: argo.url,
          token: TOKEN,
          schedule: { frequency: { cron: '*/5 * * * *' }, timeout: 'PT30S' },
        },
      ],
    });
    const main = tasks.get('gitops-poll-argocd:main')!;
    const dr = tasks.get('gitops-poll-argocd:dr')!;
    expect(main.scope).toBe('global');
    expect(main.frequency).toMatchObject({ minutes: 1 });
    expect(dr.scope).toBe('global');
    expect(dr.frequency).toEqual({ cron: '*/5 * * * *' });
    const deprecations = logger.warn.mock.calls.filter(([message]) =>
      String(message).includes('is deprecated'),
    );
    expect(deprecations).toEqual([
      [
        'gitops.argocd.pollInterval is deprecated: use gitops.argocd.schedule.frequency; gitops.argocd.schedule is set, so gitops.argocd.pollInterval is ignored',
      ],
    ]);
  });

  it('refuses an invalid polling concurrency at start-up, naming the key', async () => {
    await expect(
      startTestBackend({
        features: [
          gitopsPlugin,
          mockServices.rootConfig.factory({
            data: {
              gitops: {
                ...profileConfig,
                repository: {
                  ...profileConfig.repository,
                  localPath: repo.path,
                },
                polling: { concurrency: 0 },
              },
            },
          }),
          createServiceFactory({
            service: catalogServiceRef,
            deps: {},
            factory: () => catalogServiceMock({ entities }),
          }),
        ],
      }),
    ).rejects.toThrow(
      'Invalid app-config: gitops.polling.concurrency must be an integer of at least 1',
    );
  });

  it('needs credentials', async () => {
    const server = await start();
    const res = await request(server).get(
      '/api/gitops/v1/entities/default/component/inference-api/environments',
    );
    expect(res.status).toBe(401);
    const q = await request(server)
      .post('/api/gitops/v1/environments/query')
      .send({ entityRefs: [] });
    expect(q.status).toBe(401);
  });

  it('answers desired tags, live state and drift per environment in promotion order', async () => {
    const server = await start();
    await poll();
    const res = await get(server, 'inference-api');
    expect(res.status).toBe(200);
    expect(res.body.entityRef).toBe('component:default/inference-api');
    const [staging, production] = res.body.environments;
    expect(staging).toMatchObject({
      name: 'staging',
      namespace: 'inference-api-staging',
      controller: 'argocd',
      desired: { image: 'registry.example.com/inference-api', tag: 'latest' },
      live: {
        images: ['registry.example.com/inference-api:latest'],
        sync: 'Synced',
        health: 'Healthy',
        revision: '4f2a9c1d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b',
        lastSyncedAt: '2026-11-22T09:00:00Z',
        url: `${argo.url}/applications/argocd/inference-api-staging`,
      },
      drift: false,
    });
    expect(staging.live.since).toEqual(expect.any(String));
    expect(production).toMatchObject({
      name: 'production',
      desired: { tag: 'v1.2.3' },
      live: {
        images: ['registry.example.com/inference-api:v1.2.2'],
        sync: 'OutOfSync',
        health: 'Degraded',
        // Argo CD's time and words, not the poller's.
        since: '2026-11-20T21:14:03.000Z',
        reasons: [
          {
            source: 'resource',
            type: 'Deployment/inference-api',
            message: expect.stringMatching(
              /^Deployment "inference-api" exceeded its progress deadline; details/,
            ),
          },
          {
            source: 'operation',
            type: 'Failed',
            message:
              'one or more synchronization tasks completed unsuccessfully (retried 5 times).',
            since: '2026-11-20T21:09:00.000Z',
          },
        ],
      },
      drift: true,
    });
    expect(JSON.stringify(res.body)).not.toContain(TOKEN);
  });

  it('serves requests from the snapshot: no upstream call per request', async () => {
    const server = await start();
    await poll();
    argo.resetRequests();
    for (let i = 0; i < 5; i++)
      expect((await get(server, 'inference-api')).status).toBe(200);
    await request(server)
      .post('/api/gitops/v1/environments/query')
      .set('Authorization', mockCredentials.user.header())
      .send({ entityRefs: ['component:default/inference-api'] });
    expect(argo.requests).toEqual([]);
  });

  it('answers a summary view for lists: the same statuses without the entity-view details', async () => {
    const server = await start();
    await poll();
    const query = (body: object) =>
      request(server)
        .post('/api/gitops/v1/environments/query')
        .set('Authorization', mockCredentials.user.header())
        .send(body);
    const refs = ['component:default/inference-api'];
    const full = await query({ entityRefs: refs });
    const summary = await query({ entityRefs: refs, view: 'summary' });
    expect(summary.status).toBe(200);
    const [fullEnvs, summaryEnvs] = [full, summary].map(
      r => r.body.items[0].environments,
    );
    const problem = {
      since: '2026-11-20T21:14:03.000Z',
      reasons: [
        {
          ...fullEnvs[1].live.reasons[0],
          message: expect.stringMatching(/ details…$/),
        },
      ],
    };
    expect(summaryEnvs).toEqual(
      fullEnvs.map((e: any) => ({
        name: e.name,
        controller: e.controller,
        drift: e.drift,
        desired: e.desired,
        live: {
          images: e.live.images,
          sync: e.live.sync,
          health: e.live.health,
          // A problem keeps since when, and its first reason, shortened.
          ...(e.name === 'production' ? problem : {}),
        },
      })),
    );
    expect(summaryEnvs[1].live.reasons[0].message.length).toBeLessThanOrEqual(
      200,
    );
    expect(fullEnvs[0].live.url).toBeDefined();
    expect(JSON.stringify(summary.body).length).toBeLessThan(
      JSON.stringify(full.body).length * 0.7,
    );
    const bad = await query({ entityRefs: refs, view: 'everything' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^view: /);
  });

  it('asks Argo CD only for the fields it uses', async () => {
    await start();
    await poll();
    expect(argo.requests).toHaveLength(1);
    expect(argo.requests[0].path).toBe('/api/v1/applications');
    expect(argo.requests[0].query.fields).toContain(
      'items.status.summary.images',
    );
  });

  it('answers 200 with a reason for an entity without the annotation, 404 for an unknown one', async () => {
    const server = await start();
    const res = await get(server, 'legacy-batch');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      entityRef: 'component:default/legacy-batch',
      environments: [],
      reason: expect.stringContaining('gitops/path'),
    });
    expect((await get(server, 'nope')).status).toBe(404);
  });

  it('enforces gitops.environments.read', async () => {
    const server = await start({ permission: AuthorizeResult.DENY });
    expect((await get(server, 'inference-api')).status).toBe(403);
    const q = await request(server)
      .post('/api/gitops/v1/environments/query')
      .set('Authorization', mockCredentials.user.header())
      .send({ entityRefs: ['component:default/inference-api'] });
    expect(q.body.items).toEqual([
      {
        entityRef: 'component:default/inference-api',
        environments: [],
        error: { message: 'Not allowed' },
      },
    ]);
  });

  it('reports a missing Application as an error of that environment only', async () => {
    const server = await start();
    await poll();
    const res = await get(server, 'checkout-web');
    expect(
      res.body.environments.map((e: any) => [
        e.name,
        e.desired.tag,
        e.live,
        e.error?.message,
      ]),
    ).toEqual([
      [
        'staging',
        'latest',
        undefined,
        'No Argo CD Application found for this environment (app.kubernetes.io/name=checkout-web)',
      ],
      [
        'production',
        'v2.0.0',
        undefined,
        'No Argo CD Application found for this environment (app.kubernetes.io/name=checkout-web)',
      ],
    ]);
  });

  it('answers a team query of 200 components in one call, and refuses bad queries', async () => {
    const server = await start();
    await poll();
    const refs = Array.from({ length: 200 }, (_, i) =>
      i % 2
        ? 'component:default/inference-api'
        : `component:default/missing-${i}`,
    );
    const res = await request(server)
      .post('/api/gitops/v1/environments/query')
      .set('Authorization', mockCredentials.user.header())
      .send({ entityRefs: refs });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(200);
    expect(res.body.items[1].environments).toHaveLength(2);
    expect(res.body.items[0].error.message).toBe(
      'No entity component:default/missing-0',
    );

    const tooMany = await request(server)
      .post('/api/gitops/v1/environments/query')
      .set('Authorization', mockCredentials.user.header())
      .send({ entityRefs: Array(501).fill('component:default/a') });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(
      /entityRefs: entityRefs must list at most 500/,
    );
    const badRef = await request(server)
      .post('/api/gitops/v1/environments/query')
      .set('Authorization', mockCredentials.user.header())
      .send({ entityRefs: ['inference-api'] });
    expect(badRef.status).toBe(400);
    expect(badRef.body.error.message).toMatch(
      /"inference-api" is not an entity ref/,
    );
  });

  describe('upstream faults', () => {
    it.each([
      ['down', async () => argo.close(), /unreachable/],
      ['hanging', async () => argo.setFault('hang'), /no answer within 300 ms/],
      [
        'answering 401',
        async () => argo.setFault('unauthorized'),
        /refused the token \(HTTP 401\)/,
      ],
      [
        'answering 500',
        async () => argo.setFault('http500'),
        /answered HTTP 500/,
      ],
      [
        'answering malformed JSON',
        async () => argo.setFault('malformed'),
        /malformed JSON/,
      ],
    ])(
      'an instance %s keeps the last known state, marked stale, and the API answers fast',
      async (_label, breakIt, reason) => {
        const server = await start();
        await poll();
        await breakIt();
        await poll();
        const res = await get(server, 'inference-api');
        expect(res.status).toBe(200);
        const [staging, production] = res.body.environments;
        expect(staging.live).toMatchObject({
          sync: 'Synced',
          health: 'Healthy',
          stale: true,
        });
        expect(staging.error.message).toMatch(reason);
        expect(staging.error.message).toMatch(/Argo CD instance "main"/);
        expect(production.desired.tag).toBe('v1.2.3');
        expect(JSON.stringify(res.body)).not.toContain(TOKEN);
      },
    );

    it('answers while a poll hangs, without waiting for it', async () => {
      const server = await start();
      await poll();
      argo.setFault('hang');
      let settled = false;
      const pending = poll().then(() => (settled = true));
      const res = await get(server, 'inference-api');
      expect(res.status).toBe(200);
      expect(settled).toBe(false);
      expect(res.body.environments[0].live.sync).toBe('Synced');
      await pending;
    });

    it('logs a failure once per change, never the token, and clears the error on the next good poll', async () => {
      const server = await start();
      await poll();
      argo.setFault('http500');
      await poll();
      await poll();
      await poll();
      const warnings = (logger.warn as jest.Mock).mock.calls.map(c =>
        String(c[0]),
      );
      expect(warnings.filter(w => /poll failed/.test(w))).toHaveLength(1);
      argo.setFault('none');
      await poll();
      const res = await get(server, 'inference-api');
      expect(res.body.environments[0].error).toBeUndefined();
      expect(res.body.environments[0].live.stale).toBeUndefined();
      const all = JSON.stringify([
        (logger.info as jest.Mock).mock.calls,
        (logger.warn as jest.Mock).mock.calls,
        (logger.error as jest.Mock).mock.calls,
      ]);
      expect(all).toMatch(/answering again/);
      expect(all).not.toContain(TOKEN);
    });

    it('an instance that never answered gives Unknown with its error, and others are unaffected', async () => {
      const server = await start({
        instances: [
          { name: 'main', url: argo.url, token: TOKEN },
          { name: 'dr', url: 'http://127.0.0.1:9', token: 'other-secret' },
        ],
      });
      await poll('gitops-poll-argocd:main');
      await poll('gitops-poll-argocd:dr');
      const res = await get(server, 'inference-api');
      // main answered: its state wins, with the other instance's failure not hiding it.
      expect(res.body.environments[0].live).toMatchObject({
        sync: 'Synced',
        health: 'Healthy',
      });
      const checkout = await get(server, 'checkout-web');
      expect(checkout.body.environments[0]).toMatchObject({
        live: { images: [], sync: 'Unknown', health: 'Unknown', stale: true },
        error: {
          message: expect.stringMatching(/Argo CD instance "dr": unreachable/),
        },
      });
      expect(JSON.stringify(checkout.body)).not.toContain('other-secret');
    });
  });

  describe('profile and health', () => {
    it('answers health without credentials and the profile with them', async () => {
      const server = await start();
      expect((await request(server).get('/api/gitops/health')).body).toEqual({
        status: 'ok',
      });
      expect((await request(server).get('/api/gitops/v1/profile')).status).toBe(
        401,
      );
      const res = await request(server)
        .get('/api/gitops/v1/profile')
        .set('Authorization', mockCredentials.user.header());
      expect(
        res.body.environments.map((e: any) => [e.name, e.tagPolicy, e.cluster]),
      ).toEqual([
        ['staging', 'mutable', 'staging-eu-1'],
        ['production', 'immutable', 'production-eu-1'],
      ]);
    });

    it('refuses to start on a wrong profile, naming the key', async () => {
      await expect(
        startTestBackend({
          features: [
            gitopsPlugin,
            mockServices.rootConfig.factory({
              data: { gitops: { environments: [{ name: 'Prod' }] } },
            }),
            createServiceFactory({
              service: catalogServiceRef,
              deps: {},
              factory: () => catalogServiceMock(),
            }),
          ],
        }),
      ).rejects.toThrow(
        /gitops\.environments\[0\]\.name must be a DNS-1123 label/,
      );
    });
  });
});
