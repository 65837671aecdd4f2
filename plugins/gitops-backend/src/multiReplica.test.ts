import {
  createMockDirectory,
  mockCredentials,
  TestDatabases,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { startInferenceApiWorld, startReplica } from './__testUtils__/replica';

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
      const argo = await startInferenceApiWorld(repo, { latencyMs: 300 });
      const knex = await databases.init(databaseId);
      const start = () =>
        startReplica({
          knex,
          repoPath: repo.path,
          argocd: {
            pollInterval: { seconds: 1 },
            instances: [{ name: 'main', url: argo.url, token: 't' }],
          },
        });
      // Backstage's scheduler migrates its own tables on first use, once per
      // process, and gives up on the first conflict: two replicas doing it
      // at once on a fresh database can fail one of them (a duplicate
      // "backstage_backend_tasks..." table, or MigrationLocked: ours wait
      // for the lock instead). A restart, as Kubernetes would do, finds the
      // tables: so does this test. Our own migrations are not retried here.
      const schedulerRace = (e: unknown) =>
        /backstage_backend_tasks|MigrationLocked|Migration table is already locked/.test(
          String((e as Error)?.message),
        );
      const replica = () =>
        start().catch(e => {
          if (!schedulerRace(e)) throw e;
          return start();
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
