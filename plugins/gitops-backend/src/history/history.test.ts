import {
  createServiceFactory,
  SchedulerServiceTaskInvocationDefinition,
} from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  fakeApplication,
  FakeApplication,
  FakeArgoCd,
  startFakeArgoCd,
} from '@internal/fake-argocd';
import { Knex } from 'knex';
import request from 'supertest';
import {
  component,
  goldenPathAnnotations,
  profileConfig,
  serviceFiles,
} from '../__testUtils__/fixtures';
import { gitopsPlugin } from '../plugin';

const TOKEN = 'argocd-history-token-8c2d';
const REVISION_1 = '1111111111111111111111111111111111111111';
const REVISION_2 = '2222222222222222222222222222222222222222';
const DIGEST = `sha256:${'a'.repeat(64)}`;

const databases = TestDatabases.create();
jest.setTimeout(60_000);

const production = (images: string[], revision: string, finishedAt: string) =>
  fakeApplication({
    service: 'inference-api',
    environment: 'production',
    images,
    revision,
    finishedAt,
  });

/** Staging and checkout-web stay; production is what a test deploys. */
const applications = (productionApp: FakeApplication) => [
  fakeApplication({
    service: 'inference-api',
    environment: 'staging',
    images: ['registry.example.com/inference-api:latest'],
  }),
  productionApp,
  fakeApplication({
    service: 'checkout-web',
    environment: 'production',
    images: ['registry.example.com/checkout-web:v2.0.0'],
  }),
];

const entities = [
  component('inference-api', goldenPathAnnotations('inference-api')),
  component('checkout-web', goldenPathAnnotations('checkout-web')),
  component('legacy-batch'),
  component('traversal', {
    ...goldenPathAnnotations('inference-api'),
    'gitops/path': 'apps/../infra',
  }),
  component('everything', {
    ...goldenPathAnnotations('inference-api'),
    'argocd/app-selector': 'app.kubernetes.io/name',
  }),
];

describe.each(databases.eachSupportedId())(
  'environment history on %s',
  (databaseId: TestDatabaseId) => {
    const repo = createMockDirectory();
    let argo: FakeArgoCd;
    let knex: Knex;
    let tasks: Map<string, SchedulerServiceTaskInvocationDefinition>;
    const stops: Array<() => Promise<void>> = [];
    const logger = mockServices.logger.mock();

    beforeAll(() => {
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
      knex = await databases.init(databaseId);
      argo = await startFakeArgoCd({
        token: TOKEN,
        // A sidecar sorts first: the service's image is the one Git wants.
        applications: applications(
          production(
            [
              'registry.example.com/inference-api:v1.2.2',
              'docker.io/envoyproxy/envoy:v1.31.0',
            ],
            REVISION_1,
            '2025-06-01T10:00:00Z',
          ),
        ),
      });
      tasks = new Map();
      jest.clearAllMocks();
    });
    afterEach(async () => {
      while (stops.length) await stops.pop()!();
      await argo.close();
    });

    async function start(
      options: {
        permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
      } = {},
    ) {
      const backend = await startTestBackend({
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
                  requestTimeout: { milliseconds: 2000 },
                  instances: [{ name: 'main', url: argo.url, token: TOKEN }],
                },
              },
            },
          }),
          mockServices.database.factory({ knex }),
          logger.factory,
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
          mockServices.permissions.factory({
            result: options.permission ?? AuthorizeResult.ALLOW,
          }),
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
      stops.push(() => backend.stop());
      return backend.server;
    }

    const poll = async () => {
      await tasks
        .get('gitops-poll-argocd:main')!
        .fn(new AbortController().signal);
    };
    const history = (server: any, name: string, environment = 'production') =>
      request(server)
        .get(
          `/api/gitops/v1/entities/default/component/${name}/environments/${environment}/history`,
        )
        .set('Authorization', mockCredentials.user.header());

    /** Production moves from v1.2.2 to the digest, at a new revision. */
    async function deployTwice(server: any) {
      await poll();
      argo.setApplications(
        applications(
          production(
            [
              `registry.example.com/inference-api@${DIGEST}`,
              'docker.io/envoyproxy/envoy:v1.31.0',
            ],
            REVISION_2,
            '2025-06-02T10:00:00Z',
          ),
        ),
      );
      await poll();
      return history(server, 'inference-api');
    }

    it('answers the versions an environment ran, newest first, the older one closed', async () => {
      const server = await start();
      const before = Date.now();
      const res = await deployTwice(server);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        items: [
          {
            version: DIGEST,
            image: `registry.example.com/inference-api@${DIGEST}`,
            since: '2025-06-02T10:00:00.000Z',
            revision: REVISION_2,
          },
          {
            version: 'v1.2.2',
            image: 'registry.example.com/inference-api:v1.2.2',
            since: '2025-06-01T10:00:00.000Z',
            until: expect.any(String),
            revision: REVISION_1,
          },
        ],
      });
      // Closed by the second poll.
      expect(Date.parse(res.body.items[1].until)).toBeGreaterThanOrEqual(
        before - 1000,
      );
      // Staging is another resource: its own single run.
      const staging = await history(server, 'inference-api', 'staging');
      expect(staging.body.items).toEqual([
        expect.objectContaining({
          version: 'latest',
          image: 'registry.example.com/inference-api:latest',
        }),
      ]);
      expect(staging.body.items[0].until).toBeUndefined();
    });

    it('answers the same after a restart on the same database, without polling or calling Argo CD', async () => {
      const first = await deployTwice(await start());
      await stops.pop()!();
      argo.resetRequests();
      const server = await start();
      const res = await history(server, 'inference-api');
      expect(res.status).toBe(200);
      expect(res.body).toEqual(first.body);
      expect(argo.requests).toEqual([]);
    });

    it('records nothing for a poll that changed no image, and a run per change back', async () => {
      const server = await start();
      await poll();
      await poll();
      const rows = () => knex('gitops_history').count({ n: '*' }).first();
      expect(Number((await rows())!.n)).toBe(3);
      await deployTwice(server);
      // Back to v1.2.2 (a rollback): a third run, not the first one reopened.
      argo.setApplications(
        applications(
          production(
            ['registry.example.com/inference-api:v1.2.2'],
            REVISION_1,
            '2025-06-03T10:00:00Z',
          ),
        ),
      );
      await poll();
      await poll();
      const res = await history(server, 'inference-api');
      expect(res.body.items.map((i: any) => [i.version, 'until' in i])).toEqual(
        [
          ['v1.2.2', false],
          [DIGEST, true],
          ['v1.2.2', true],
        ],
      );
    });

    it('enforces gitops.environments.read with a 403 through the framework', async () => {
      const server = await start({ permission: AuthorizeResult.DENY });
      await poll();
      const res = await history(server, 'inference-api');
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual(
        expect.objectContaining({
          name: 'NotAllowedError',
          message:
            'Not allowed to read the GitOps environments of component:default/inference-api',
        }),
      );
      expect(JSON.stringify(res.body)).not.toContain('v1.2.2');
    });

    it('needs credentials, answers 404 for an unknown entity, and an empty list where nothing matches', async () => {
      const server = await start();
      await poll();
      const anonymous = await request(server).get(
        '/api/gitops/v1/entities/default/component/inference-api/environments/production/history',
      );
      expect(anonymous.status).toBe(401);
      expect((await history(server, 'nope')).status).toBe(404);
      // checkout-web has no staging Application.
      expect((await history(server, 'checkout-web', 'staging')).body).toEqual({
        items: [],
      });
      expect((await history(server, 'legacy-batch')).body).toEqual({
        items: [],
        reason:
          'The entity has no gitops/path annotation naming its folder in the GitOps repository.',
      });
    });

    describe('attacks on the history route', () => {
      it.each<[string, string, string, number, string]>([
        [
          'an environment outside the profile',
          'inference-api',
          'qa',
          400,
          'environment: "qa" is not an environment of the platform profile (one of: staging, production)',
        ],
        [
          'a path traversal as the environment',
          'inference-api',
          '..%2F..%2Fproduction',
          400,
          'environment: "../../production" is not an environment of the platform profile (one of: staging, production)',
        ],
        [
          'an environment differing in case',
          'inference-api',
          'Production',
          400,
          'environment: "Production" is not an environment of the platform profile (one of: staging, production)',
        ],
        [
          'a huge environment, cut in the message',
          'inference-api',
          'x'.repeat(5000),
          400,
          `environment: "${'x'.repeat(
            100,
          )}…" is not an environment of the platform profile (one of: staging, production)`,
        ],
      ])(
        '%s is refused',
        async (_label, name, environment, status, message) => {
          const server = await start();
          await poll();
          argo.resetRequests();
          const res = await history(server, name, environment);
          expect(res.status).toBe(status);
          expect(res.body.error).toEqual(
            expect.objectContaining({ name: 'InputError', message }),
          );
          expect(JSON.stringify(res.body)).not.toContain(
            'registry.example.com',
          );
          expect(argo.requests).toEqual([]);
        },
      );

      it('a database outage: 503 without the driver message, its code in the log', async () => {
        const server = await start();
        await deployTwice(server);
        const client = knex.client as {
          acquireConnection: () => Promise<unknown>;
        };
        const acquire = client.acquireConnection;
        client.acquireConnection = () =>
          Promise.reject(
            Object.assign(
              new Error(
                'connect ECONNREFUSED 10.20.30.40:5432 (db.internal.example) password authentication failed for user "gitops"',
              ),
              { code: 'ECONNREFUSED' },
            ),
          );
        let res;
        try {
          res = await history(server, 'inference-api');
        } finally {
          client.acquireConnection = acquire;
        }
        expect(res.status).toBe(503);
        expect(res.body.error).toEqual(
          expect.objectContaining({
            name: 'ServiceUnavailableError',
            message:
              'The GitOps status database did not answer; the history is unavailable',
          }),
        );
        expect(logger.warn).toHaveBeenCalledWith(
          'GitOps history: the database did not answer (ECONNREFUSED)',
        );
        const all = JSON.stringify([
          res.body,
          (logger.warn as jest.Mock).mock.calls,
          (logger.error as jest.Mock).mock.calls,
        ]);
        for (const leak of ['10.20.30.40', 'db.internal', 'password']) {
          expect(all).not.toContain(leak);
        }
      });

      it.each<[string, string, object]>([
        [
          'a gitops/path out of the apps folder',
          'traversal',
          {
            reason:
              'The gitops/path annotation "apps/../infra" is refused: it must not contain "." or ".." segments.',
            problems: [
              {
                annotation: 'gitops/path',
                message: 'must not contain "." or ".." segments',
              },
            ],
          },
        ],
        [
          'an Argo CD selector that would match every service',
          'everything',
          {
            reason: expect.stringMatching(
              /^The argocd\/app-selector annotation "app.kubernetes.io\/name" is refused: /,
            ),
            problems: [
              expect.objectContaining({ annotation: 'argocd/app-selector' }),
            ],
          },
        ],
      ])(
        '%s: 200, no items, the reason naming the annotation',
        async (_label, name, refusal) => {
          const server = await start();
          await poll();
          const rows = await knex('gitops_history').count({ n: '*' }).first();
          const res = await history(server, name);
          expect(res.status).toBe(200);
          expect(res.body).toEqual({ items: [], ...refusal });
          expect(JSON.stringify(res.body)).not.toContain('v1.2.2');
          // Nothing written by the request.
          expect(
            await knex('gitops_history').count({ n: '*' }).first(),
          ).toEqual(rows);
        },
      );
    });
  },
);
