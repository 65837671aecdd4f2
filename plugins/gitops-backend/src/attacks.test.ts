// Attacks on the status backend from whoever can edit a catalog-info.yaml or
// reach the portal, one row each, through the real plugin: each row asserts
// the refusal (naming the annotation) and that nothing leaked: no other
// service's state in the body, no upstream or Git read the request caused,
// no credential, internal host or database message in a body or a log line.
// The Kubernetes client is loaded with the file, not inside a timed test.
import '@kubernetes/client-node';
import {
  coreServices,
  createServiceFactory,
  LoggerService,
  SchedulerServiceTaskInvocationDefinition,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  fakeApplication,
  FakeArgoCd,
  startFakeArgoCd,
} from '@internal/fake-argocd';
import knexFactory, { Knex } from 'knex';
import net, { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  deployment,
  kustomization,
  startFakeKubernetesApi,
} from './__testUtils__/fakeKubernetesApi';
import {
  component,
  goldenPathAnnotations,
  profileConfig,
  serviceFiles,
} from './__testUtils__/fixtures';
import { gitopsPlugin } from './plugin';

const ARGO_TOKEN = 'argo-token-3b8e';
const ARGO_PASSWORD = 'instance-pass-51c';
const DR_PASSWORD = 'dr-pass-77a';
const KUBE_TOKEN = 'kube-token-90d1';
const REPO_SECRET = 'repo-secret-4f2';
const DB_HOST = 'db.internal.example';

/** The GitOps repository as the URL reader serves the apps folder. */
const repositoryFiles = {
  ...serviceFiles('inference-api', { staging: 'latest', production: 'v1.2.3' }),
  ...serviceFiles('checkout-web', { staging: 'latest', production: 'v2.0.0' }),
  ...serviceFiles('api', { staging: 'v1.0.0', production: 'v1.0.0' }, 'flux'),
  ...serviceFiles(
    'team-b-api',
    { staging: 'v3.0.0', production: 'v3.0.0' },
    'flux',
  ),
};

const inNamespace = (namespace: string, entity: Entity): Entity => ({
  ...entity,
  metadata: { ...entity.metadata, namespace },
});

const entities: Entity[] = [
  component('inference-api', goldenPathAnnotations('inference-api')),
  component('checkout-web', goldenPathAnnotations('checkout-web')),
  // Two components named `api` in two catalog namespaces, both on Flux.
  inNamespace(
    'team-a',
    component('api', {
      'gitops/path': 'apps/api',
      'backstage.io/kubernetes-id': 'api',
    }),
  ),
  inNamespace('team-b', component('api', { 'gitops/path': 'apps/team-b-api' })),
  component('not-indexed', {
    'gitops/path': 'apps/not-there',
    'argocd/app-selector': 'app.kubernetes.io/name=not-there',
  }),
];

/** Records every log line with its metadata, errors included. */
function recordingLogger() {
  const lines: string[] = [];
  const record =
    (level: string) => (message: string, meta?: Error | object) => {
      lines.push(
        `${level} ${message} ${JSON.stringify(meta ?? null, (_k, v) =>
          v instanceof Error ? { message: v.message, stack: v.stack } : v,
        )}`,
      );
    };
  const logger: LoggerService = {
    error: record('error'),
    warn: record('warn'),
    info: record('info'),
    debug: record('debug'),
    child: () => logger,
  };
  return { logger, lines };
}

/** A URL reader serving the repository's apps folder, counting reads. */
function repositoryReader() {
  const state = { fail: undefined as Error | undefined };
  const readTree = jest.fn(async (_url: string) => {
    if (state.fail) throw state.fail;
    return {
      etag: 'c0ffee1234567890',
      files: async () =>
        Object.entries(repositoryFiles).map(([path, content]) => ({
          path: path.replace(/^apps\//, ''),
          content: async () => Buffer.from(content),
        })),
      archive: async () => {
        throw new Error('not used');
      },
      dir: async () => {
        throw new Error('not used');
      },
    };
  });
  const reader = { readTree } as unknown as UrlReaderService;
  return { reader, readTree, state };
}

interface World {
  argo: FakeArgoCd;
  kube: Awaited<ReturnType<typeof startFakeKubernetesApi>>;
  /** A port nothing listens on. */
  closedPort: number;
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

async function startWorld(): Promise<World> {
  const argo = await startFakeArgoCd({
    token: ARGO_TOKEN,
    applications: [
      fakeApplication({
        service: 'inference-api',
        environment: 'staging',
        images: ['registry.example.com/inference-api:latest'],
      }),
      fakeApplication({
        service: 'checkout-web',
        environment: 'production',
        images: ['registry.example.com/checkout-web:v2.0.0'],
      }),
    ],
  });
  const kube = await startFakeKubernetesApi({
    token: KUBE_TOKEN,
    kustomizations: [
      kustomization({
        name: 'api',
        environment: 'staging',
        ready: 'True',
        applied: 'main@sha1:abc',
        // A malformed entry is skipped, not allowed to fail the poll.
        inventory: ['garbage', 'api-staging_api_apps_Deployment'],
      }),
      kustomization({
        name: 'team-b-api',
        environment: 'staging',
        ready: 'True',
        applied: 'main@sha1:abc',
        inventory: ['team-b-api-staging_team-b-api_apps_Deployment'],
      }),
    ],
    deployments: [
      deployment('api', 'api-staging', 'registry.example.com/api:v1.0.0'),
      deployment(
        'team-b-api',
        'team-b-api-staging',
        'registry.example.com/team-b-api:v3.0.0',
      ),
    ],
  });
  return { argo, kube, closedPort: await closedPort() };
}

async function startPortal(
  world: World,
  options: { knex?: Knex; argoUrl?: string } = {},
) {
  const tasks = new Map<string, SchedulerServiceTaskInvocationDefinition>();
  const { logger, lines } = recordingLogger();
  const repo = repositoryReader();
  const argoUrl = new URL(world.argo.url);
  argoUrl.username = 'argo-user';
  argoUrl.password = ARGO_PASSWORD;
  const { server } = await startTestBackend({
    features: [
      gitopsPlugin,
      mockServices.rootConfig.factory({
        data: {
          gitops: {
            ...profileConfig,
            repository: {
              url: `https://git-user:${REPO_SECRET}@git.internal.example/gitops.git`,
              cacheTtl: { milliseconds: 0 },
            },
            argocd: {
              requestTimeout: { milliseconds: 500 },
              instances: [
                {
                  name: 'prod',
                  url: options.argoUrl ?? argoUrl.toString(),
                  token: ARGO_TOKEN,
                },
                {
                  name: 'dr',
                  url: `http://dr-user:${DR_PASSWORD}@127.0.0.1:${world.closedPort}/?token=${DR_PASSWORD}`,
                  token: ARGO_TOKEN,
                },
              ],
            },
            flux: {
              requestTimeout: { milliseconds: 2000 },
              clusters: [
                {
                  name: 'eu-1',
                  url: world.kube.url,
                  serviceAccountToken: KUBE_TOKEN,
                  skipTLSVerify: true,
                },
              ],
            },
          },
        },
      }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.permissions.factory(),
      createServiceFactory({
        service: coreServices.logger,
        deps: {},
        factory: () => logger,
      }),
      createServiceFactory({
        service: coreServices.urlReader,
        deps: {},
        factory: () => repo.reader,
      }),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
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
  const run = (id: string) =>
    tasks.get(id)!.fn(new AbortController().signal) as Promise<void>;
  const pollAll = async () => {
    for (const id of tasks.keys()) {
      if (id.startsWith('gitops-poll-')) await run(id);
    }
  };
  const get = (ref: string) => {
    const [kind, rest] = ref.split(':');
    const [namespace, name] = rest.split('/');
    return request(server)
      .get(`/api/gitops/v1/entities/${namespace}/${kind}/${name}/environments`)
      .set('Authorization', mockCredentials.user.header());
  };
  return { server, run, pollAll, get, lines, readTree: repo.readTree, repo };
}

/** What no body and no log line may contain. */
const SECRETS = [
  ARGO_TOKEN,
  ARGO_PASSWORD,
  DR_PASSWORD,
  KUBE_TOKEN,
  REPO_SECRET,
  'git-user',
  'argo-user',
  'dr-user',
  DB_HOST,
  '10.20.30.40',
];
const expectNoSecrets = (text: string) => {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
};
// Internal addresses a response must not carry either.
const expectNoHosts = (text: string) => {
  expect(text).not.toContain('127.0.0.1');
  expect(text).not.toContain('git.internal.example');
};

describe('attacks on the status backend', () => {
  describe('refused annotations', () => {
    let world: World;
    let portal: Awaited<ReturnType<typeof startPortal>>;

    beforeAll(async () => {
      world = await startWorld();
      portal = await startPortal(world);
      await portal.pollAll();
      // The index is loaded once the first answer, which waited for it, is in.
      await portal.get('component:default/inference-api');
    });
    afterAll(async () => {
      await world.argo.close();
      await world.kube.close();
    });

    const attackers: Array<[string, Record<string, string>, string, string]> = [
      [
        'an exists-selector in argocd/app-selector',
        {
          'gitops/path': 'apps/attacker',
          'argocd/app-selector': 'app.kubernetes.io/name',
        },
        'argocd/app-selector',
        "must hold at least one key=value equality (e.g. app.kubernetes.io/name=my-service); a selector of existence or inequality requirements only would match other services' Applications",
      ],
      [
        'an inequality-only argocd/app-selector',
        {
          'gitops/path': 'apps/attacker',
          'argocd/app-selector': 'app.kubernetes.io/name!=nothing,!x',
        },
        'argocd/app-selector',
        "must hold at least one key=value equality (e.g. app.kubernetes.io/name=my-service); a selector of existence or inequality requirements only would match other services' Applications",
      ],
      [
        'a %2e%2e segment in gitops/path',
        { 'gitops/path': 'apps/%2e%2e/infra' },
        'gitops/path',
        'must not contain "%" (percent-encoded segments are refused)',
      ],
      [
        'a ../ segment in gitops/path',
        { 'gitops/path': 'apps/../infra/secrets' },
        'gitops/path',
        'must not contain "." or ".." segments',
      ],
      [
        'an absolute gitops/path',
        { 'gitops/path': '/etc/gitops' },
        'gitops/path',
        'must be relative to the repository root, not absolute',
      ],
      [
        'a .git segment in gitops/path',
        { 'gitops/path': 'apps/.git' },
        'gitops/path',
        'must not contain a ".git" segment',
      ],
      [
        'a gitops/path outside appsPath',
        { 'gitops/path': 'infra/secrets' },
        'gitops/path',
        'must name a service folder directly under "apps" (apps/<service>)',
      ],
      [
        'a kubernetes-id that would widen the Flux selector',
        {
          'gitops/path': 'apps/attacker',
          'backstage.io/kubernetes-id': 'api,!x',
        },
        'backstage.io/kubernetes-id',
        'must be a label value: at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
      ],
    ];

    attackers.forEach(([, annotations], i) =>
      entities.push(component(`attacker-${i}`, annotations)),
    );

    it.each(attackers.map((row, i) => [...row, `attacker-${i}`] as const))(
      'refuses %s: 200, no environments, the annotation named, nothing read or leaked',
      async (_label, annotations, annotation, rule, name) => {
        const reads = portal.readTree.mock.calls.length;
        world.argo.resetRequests();
        world.kube.requests.splice(0);
        const res = await portal.get(`component:default/${name}`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          entityRef: `component:default/${name}`,
          environments: [],
          reason: expect.stringContaining(
            `The ${annotation} annotation ${JSON.stringify(
              annotations[annotation],
            )} is refused: it ${rule}.`,
          ),
          problems: [{ annotation, message: rule }],
        });
        // The team view gives the same refusal.
        const query = await request(portal.server)
          .post('/api/gitops/v1/environments/query')
          .set('Authorization', mockCredentials.user.header())
          .send({ entityRefs: [`component:default/${name}`] });
        expect(query.body.items[0].problems).toEqual([
          { annotation, message: rule },
        ]);
        const body = JSON.stringify([res.body, query.body]);
        for (const other of [
          'inference-api',
          'checkout-web',
          'registry.example.com',
          '"api-staging"',
        ]) {
          expect(body).not.toContain(other);
        }
        expect(portal.readTree.mock.calls.length).toBe(reads);
        expect(world.argo.requests).toEqual([]);
        expect(world.kube.requests).toEqual([]);
      },
    );
  });

  describe('state that is not the caller’s, and upstream hygiene', () => {
    let world: World;
    beforeEach(async () => {
      world = await startWorld();
    });
    afterEach(async () => {
      await world.argo.close();
      await world.kube.close();
    });

    // A database whose connections start failing with a driver's message,
    // which names the host, when the test says so.
    const failingDatabase = () => {
      const knex = knexFactory({
        client: 'better-sqlite3',
        connection: ':memory:',
        useNullAsDefault: true,
      });
      const acquire = knex.client.acquireConnection.bind(knex.client);
      const outage = { on: false };
      knex.client.acquireConnection = () =>
        outage.on
          ? Promise.reject(
              Object.assign(
                new Error(
                  `connect ECONNREFUSED 10.20.30.40:5432 (${DB_HOST}) password authentication failed for user "gitops"`,
                ),
                { code: 'ECONNREFUSED' },
              ),
            )
          : acquire();
      return { knex, outage };
    };

    it.each<[string, (w: World) => Promise<void>]>([
      [
        'two entities of one name in two catalog namespaces on Flux each see only their own',
        async w => {
          const portal = await startPortal(w);
          await portal.pollAll();
          const a = await portal.get('component:team-a/api');
          const b = await portal.get('component:team-b/api');
          expect([a.status, b.status]).toEqual([200, 200]);
          expect(a.body.environments[0]).toMatchObject({
            name: 'staging',
            controller: 'flux',
            live: { images: ['registry.example.com/api:v1.0.0'] },
          });
          // team-b/api has no kubernetes-id: it does not fall back to its
          // bare name, which would be team-a's `api`.
          const bBody = JSON.stringify(b.body);
          expect(bBody).not.toContain('"api-staging"');
          expect(bBody).not.toContain('registry.example.com/api:');
          for (const env of b.body.environments) {
            expect(env.live).toBeUndefined();
            expect(env.error.message).toBe(
              'No Flux Kustomization found for this environment (the entity has no backstage.io/kubernetes-id annotation)',
            );
          }
          expectNoSecrets(portal.lines.join('\n'));
        },
      ],
      [
        'credentials in an instance URL reach neither a response nor a log line',
        async w => {
          const portal = await startPortal(w);
          await portal.pollAll();
          const res = await portal.get('component:default/inference-api');
          expect(res.status).toBe(200);
          const [staging, production] = res.body.environments;
          // The instance answered without the user name and password.
          expect(staging.live.url).toBe(
            `${w.argo.url}/applications/argocd/inference-api-staging`,
          );
          // The instance that is down is named, not its address.
          expect(production.error.message).toBe(
            'Argo CD instance "dr": unreachable (ECONNREFUSED)',
          );
          const checkout = JSON.stringify(
            (await portal.get('component:default/checkout-web')).body,
          );
          expectNoSecrets(JSON.stringify(res.body) + checkout);
          expect(checkout).not.toContain(`127.0.0.1:${w.closedPort}`);
          const logs = portal.lines.join('\n');
          expectNoSecrets(logs);
          expect(logs).not.toContain('token=');
          expect(logs).toContain(
            `gitops.argocd.instances[1] ("dr"): url http://127.0.0.1:${w.closedPort} carries a user name or password; they are never sent, use the token key`,
          );
        },
      ],
      [
        'a database outage after a load: the last snapshot, marked stale, without the driver message',
        async w => {
          const db = failingDatabase();
          const portal = await startPortal(w, { knex: db.knex });
          await portal.pollAll();
          expect(
            (await portal.get('component:default/inference-api')).body
              .environments[0].live.stale,
          ).toBeUndefined();
          db.outage.on = true;
          await portal.pollAll(); // fails to record, then reloads: fails
          const res = await portal.get('component:default/inference-api');
          expect(res.status).toBe(200);
          const [staging] = res.body.environments;
          expect(staging.live).toMatchObject({
            images: ['registry.example.com/inference-api:latest'],
            stale: true,
          });
          expect(staging.error.message).toMatch(
            /^the GitOps status database did not answer since \S+; showing the live state loaded at \S+$/,
          );
          const all = JSON.stringify(res.body) + portal.lines.join('\n');
          expectNoSecrets(all);
          expect(all).not.toContain('password authentication');
          expect(portal.lines.join('\n')).toContain(
            'GitOps status database did not answer (ECONNREFUSED); serving the last snapshot loaded, marked stale',
          );
          await db.knex.destroy();
        },
      ],
      [
        'a database outage before the first poll: the desired state, the live state said to be unavailable',
        async w => {
          const db = failingDatabase();
          const portal = await startPortal(w, { knex: db.knex });
          db.outage.on = true;
          // The poll fails to record, then the reload of the (empty) copy
          // loaded at start-up fails: no provider was ever seen.
          await portal.pollAll();
          const res = await portal.get('component:default/inference-api');
          expect(res.status).toBe(200);
          expect(
            res.body.environments.map((e: any) => [
              e.name,
              e.desired.tag,
              e.live?.sync,
              e.error?.message,
            ]),
          ).toEqual([
            [
              'staging',
              'latest',
              'Unknown',
              'Argo CD instance "prod": live state unavailable, the GitOps status database did not answer; Argo CD instance "dr": live state unavailable, the GitOps status database did not answer',
            ],
            [
              'production',
              'v1.2.3',
              'Unknown',
              'Argo CD instance "prod": live state unavailable, the GitOps status database did not answer; Argo CD instance "dr": live state unavailable, the GitOps status database did not answer',
            ],
          ]);
          const all = JSON.stringify(res.body) + portal.lines.join('\n');
          expectNoSecrets(all);
          expect(all).not.toContain('password authentication');
          await db.knex.destroy();
        },
      ],
      [
        'a failed revalidation of the repository: the last good desired state, marked stale, the URL redacted in the log',
        async w => {
          const portal = await startPortal(w);
          expect(
            (await portal.get('component:default/inference-api')).status,
          ).toBe(200);
          portal.repo.state.fail = new Error(
            `Request failed for https://git-user:${REPO_SECRET}@git.internal.example/gitops/tree/main/apps?private_token=${REPO_SECRET}, 503 Service Unavailable`,
          );
          await portal.run('gitops-desired-state');
          const res = await portal.get('component:default/inference-api');
          expect(res.status).toBe(200);
          const [staging] = res.body.environments;
          expect(staging.desired).toEqual({
            image: 'registry.example.com/inference-api',
            tag: 'latest',
            stale: true,
          });
          expect(staging.error.message).toMatch(
            /^Git: the GitOps repository could not be re-read since \S+; showing what it wanted at c0ffee123456/,
          );
          const body = JSON.stringify(res.body);
          expectNoSecrets(body);
          expectNoHosts(body);
          const logs = portal.lines.join('\n');
          expectNoSecrets(logs);
          expect(logs).not.toContain('private_token');
          expect(logs).toContain(
            'GitOps repository: could not read apps: Request failed for https://git.internal.example, 503 Service Unavailable; answering from the last good read, marked stale',
          );
          portal.repo.state.fail = undefined;
          await portal.run('gitops-desired-state');
          const again = await portal.get('component:default/inference-api');
          expect(again.body.environments[0].desired.stale).toBeUndefined();
        },
      ],
      [
        'a gitops/path not in the repository index is answered as such, without a read',
        async w => {
          const portal = await startPortal(w);
          await portal.pollAll();
          await portal.get('component:default/inference-api');
          const reads = portal.readTree.mock.calls.length;
          const res = await portal.get('component:default/not-indexed');
          expect(res.status).toBe(200);
          expect(
            res.body.environments.map((e: any) => e.error.message),
          ).toEqual([
            'Git: apps/not-there is not a service folder of the GitOps repository at c0ffee123456 (a folder committed since appears at the next check of the repository)',
            'Git: apps/not-there is not a service folder of the GitOps repository at c0ffee123456 (a folder committed since appears at the next check of the repository)',
          ]);
          expect(portal.readTree.mock.calls.length).toBe(reads);
        },
      ],
    ])('%s', async (_label, attack) => {
      await attack(world);
    });
  });
});
