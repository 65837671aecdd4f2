import {
  createMockDirectory,
  mockCredentials,
  TestDatabases,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { startInferenceApiWorld, startReplica } from './__testUtils__/replica';

type Replica = Awaited<ReturnType<typeof startReplica>>;

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
      // tables: so does this test.
      const schedulerRace = (e: unknown) =>
        /backstage_backend_tasks|MigrationLocked|Migration table is already locked/.test(
          String((e as Error)?.message),
        );
      // Restarted after a pause, as Kubernetes would, a few times: the
      // other replica may still hold the lock when the first restart comes.
      const replica = async (restarts = 3): Promise<Replica> => {
        try {
          return await start();
        } catch (e) {
          if (!schedulerRace(e) || restarts === 0) throw e;
          await new Promise(resolve => setTimeout(resolve, 500));
          return replica(restarts - 1);
        }
      };
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
        // A replica restarted after a poll marks that poll's state as a
        // stored snapshot's until the next poll (within a second) lands.
        const deadline = Date.now() + 4000;
        let answers = await ask();
        while (
          answers.some(
            res => !res.body.environments[0].live || res.body.snapshot,
          ) &&
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
