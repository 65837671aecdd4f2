import { createServiceFactory } from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { fakeApplication, startFakeArgoCd } from '@internal/fake-argocd';
import request from 'supertest';
import {
  component,
  goldenPathAnnotations,
  profileConfig,
  serviceFiles,
} from './__testUtils__/fixtures';
import { gitopsPlugin } from './plugin';

const databases = TestDatabases.create();
const postgres = databases
  .eachSupportedId()
  .filter(([id]) => id.startsWith('POSTGRES'));

jest.setTimeout(60_000);

// Two backend replicas on one PostgreSQL database: the scheduler's global
// task lock makes one of them poll, and both answer from the same snapshot.
(postgres.length
  ? describe.each(postgres)
  : describe.skip.each([['POSTGRES_15' as const]]))(
  'two replicas on %s',
  databaseId => {
    const repo = createMockDirectory();

    it('poll Argo CD once per interval between them and answer the same', async () => {
      repo.setContent(
        serviceFiles('inference-api', {
          staging: 'latest',
          production: 'v1.2.3',
        }),
      );
      const argo = await startFakeArgoCd({
        token: 't',
        latencyMs: 300,
        applications: [
          fakeApplication({
            service: 'inference-api',
            environment: 'staging',
            images: ['registry.example.com/inference-api:latest'],
          }),
        ],
      });
      const knex = await databases.init(databaseId);
      const connection = (knex.client as any).config.connection;
      const replica = () =>
        startTestBackend({
          features: [
            gitopsPlugin,
            databaseServiceFactory,
            schedulerServiceFactory,
            mockServices.rootConfig.factory({
              data: {
                backend: {
                  database: {
                    client: 'pg',
                    connection,
                    pluginDivisionMode: 'schema',
                  },
                },
                gitops: {
                  ...profileConfig,
                  repository: {
                    ...profileConfig.repository,
                    localPath: repo.path,
                  },
                  argocd: {
                    pollInterval: { seconds: 1 },
                    instances: [{ name: 'main', url: argo.url, token: 't' }],
                  },
                },
              },
            }),
            createServiceFactory({
              service: catalogServiceRef,
              deps: {},
              factory: () =>
                catalogServiceMock({
                  entities: [
                    component(
                      'inference-api',
                      goldenPathAnnotations('inference-api'),
                    ),
                  ],
                }),
            }),
          ],
        });
      const started = Date.now();
      const [a, b] = await Promise.all([replica(), replica()]);
      try {
        // Three polls, each 300 ms long, at a 1 s interval: with two
        // pollers they would come twice as often, or overlap.
        await argo.waitForRequests(3);
        const seconds = (Date.now() - started) / 1000;
        expect(argo.maxConcurrent()).toBe(1);
        expect(argo.requests.length).toBeLessThanOrEqual(
          Math.floor(seconds) + 1,
        );
        // The replica that does not poll revalidates its copy every second:
        // both answer the polled state within about two seconds.
        const ask = () =>
          Promise.all(
            [a.server, b.server].map(server =>
              request(server)
                .get(
                  '/api/gitops/v1/entities/default/component/inference-api/environments',
                )
                .set('Authorization', mockCredentials.user.header()),
            ),
          );
        const deadline = Date.now() + 2500;
        let answers = await ask();
        while (
          answers.some(res => !res.body.environments[0].live) &&
          Date.now() < deadline
        ) {
          await new Promise(r => setTimeout(r, 100));
          answers = await ask();
        }
        for (const res of answers) {
          expect(res.body.environments[0].live).toMatchObject({
            sync: 'Synced',
            health: 'Healthy',
          });
        }
        expect(answers[0].body).toEqual(answers[1].body);

        // One writer of the history too: one run, the same on both.
        const histories = await Promise.all(
          [a.server, b.server].map(server =>
            request(server)
              .get(
                '/api/gitops/v1/entities/default/component/inference-api/environments/staging/history',
              )
              .set('Authorization', mockCredentials.user.header()),
          ),
        );
        expect(histories[0].body).toEqual({
          items: [
            expect.objectContaining({
              version: 'latest',
              image: 'registry.example.com/inference-api:latest',
            }),
          ],
        });
        expect(histories[1].body).toEqual(histories[0].body);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
        await argo.close();
      }
    });
  },
);
