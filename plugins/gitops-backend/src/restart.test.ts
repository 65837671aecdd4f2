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

const ROUTE =
  '/api/gitops/v1/entities/default/component/inference-api/environments';

// A replica restarted on the database another (or it, before) polled into:
// it answers from the stored snapshot before its own first poll ends, and
// says how old that state is until a poll refreshes it.
(postgres.length
  ? describe.each(postgres)
  : describe.skip.each([['POSTGRES_15' as const]]))(
  'a restarted replica on %s',
  databaseId => {
    const repo = createMockDirectory();

    it('answers from the stored snapshot before its first poll, marked with its age, then fresh', async () => {
      const argo = await startInferenceApiWorld(repo);
      const knex = await databases.init(databaseId);
      const replica = () =>
        startReplica({
          knex,
          repoPath: repo.path,
          argocd: {
            schedule: {
              frequency: { seconds: 1 },
              timeout: { seconds: 30 },
            },
            instances: [{ name: 'main', url: argo.url, token: 't' }],
          },
        });
      const get = (server: any) =>
        request(server)
          .get(ROUTE)
          .set('Authorization', mockCredentials.user.header());

      const first = await replica();
      let polledAt: string;
      try {
        let fresh = await get(first.server);
        while (fresh.body.environments?.[0]?.live?.sync !== 'Synced') {
          await new Promise(r => setTimeout(r, 100));
          fresh = await get(first.server);
        }
        // Polled since this replica started: nothing to mark.
        expect(fresh.body.snapshot).toBeUndefined();
        polledAt = (
          await knex
            .withSchema('gitops')
            .table('gitops_provider_state')
            .first('last_success_at')
        ).last_success_at;
      } finally {
        await first.stop();
      }

      // Argo CD stops answering: the restarted replica's first poll hangs.
      argo.setFault('hang');
      await new Promise(r => setTimeout(r, 1100));
      const restarted = await replica();
      try {
        const res = await get(restarted.server);
        expect(res.status).toBe(200);
        expect(res.body.environments[0].live).toMatchObject({
          images: ['registry.example.com/inference-api:latest'],
          sync: 'Synced',
          health: 'Healthy',
        });
        expect(res.body.snapshot).toEqual({
          polledAt: new Date(polledAt!).toISOString(),
          ageSeconds: expect.any(Number),
          message: expect.stringMatching(
            /^Live state from the stored snapshot of a poll \d+ s ago: this backend restarted/,
          ),
        });
        expect(res.body.snapshot.ageSeconds).toBeGreaterThanOrEqual(1);

        // Argo CD answers again: the first poll ends and the mark goes.
        argo.setFault('none');
        for (let i = 0; ; i++) {
          const again = await get(restarted.server);
          if (!again.body.snapshot) break;
          if (i > 100) throw new Error('still marked after 10 s');
          await new Promise(r => setTimeout(r, 100));
        }
      } finally {
        await restarted.stop();
        await argo.close();
      }
    });
  },
);
