import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import type { LiveResource } from '@goldenpath/plugin-gitops-node';
import { SnapshotStore } from '../snapshot/SnapshotStore';
import { HistoryStore } from './HistoryStore';

const databases = TestDatabases.create();

const app = (
  key: string,
  images: string[],
  extra: Partial<LiveResource> = {},
): LiveResource => ({
  key,
  name: key,
  labels: {},
  images,
  sync: 'Synced',
  health: 'Healthy',
  ...extra,
});

const t = (minute: number) => new Date(Date.UTC(2026, 10, 22, 10, minute, 0));

describe.each(databases.eachSupportedId())(
  'HistoryStore on %s',
  (databaseId: TestDatabaseId) => {
    async function stores(limit?: number) {
      const knex = await databases.init(databaseId);
      // The snapshot store runs the plugin's migrations.
      await SnapshotStore.create({ getClient: async () => knex } as any);
      return { knex, history: new HistoryStore(knex, limit) };
    }

    it('opens a run when the images change and closes the one before', async () => {
      const { history } = await stores();
      await history.record('argocd:main', [app('a', ['r/a:v1'])], t(0));
      // Same images in another order and a sidecar's duplicate: no new run.
      expect(
        await history.record(
          'argocd:main',
          [app('a', ['r/a:v1', 'r/a:v1'])],
          t(1),
        ),
      ).toBe(0);
      await history.record(
        'argocd:main',
        [
          app('a', ['r/a:v2'], {
            revision: 'abc123',
            lastSyncedAt: t(2).toISOString().replace(':02:', ':01:'),
          }),
        ],
        t(2),
      );
      expect(await history.list('argocd:main', 'a')).toEqual([
        {
          images: ['r/a:v2'],
          revision: 'abc123',
          since: '2026-11-22T10:01:00.000Z',
        },
        {
          images: ['r/a:v1'],
          since: '2026-11-22T10:00:00.000Z',
          until: '2026-11-22T10:02:00.000Z',
        },
      ]);
    });

    it('closes the run of a resource no longer reported, per provider', async () => {
      const { history } = await stores();
      await history.record('argocd:main', [app('a', ['r/a:v1'])], t(0));
      await history.record('argocd:other', [app('a', ['r/a:v9'])], t(0));
      await history.record('argocd:main', [], t(5));
      expect(await history.list('argocd:main', 'a')).toEqual([
        expect.objectContaining({ until: '2026-11-22T10:05:00.000Z' }),
      ]);
      expect(await history.list('argocd:other', 'a')).toEqual([
        { images: ['r/a:v9'], since: '2026-11-22T10:00:00.000Z' },
      ]);
    });

    it('keeps only the newest runs of each resource', async () => {
      const { history, knex } = await stores(3);
      for (let i = 0; i < 6; i++) {
        await history.record(
          'argocd:main',
          [app('a', [`r/a:v${i}`]), app('b', ['r/b:v1'])],
          t(i),
        );
      }
      const runs = await history.list('argocd:main', 'a');
      expect(runs.map(r => r.images[0])).toEqual([
        'r/a:v5',
        'r/a:v4',
        'r/a:v3',
      ]);
      expect(
        await knex('gitops_history').where({ resource_key: 'a' }).pluck('id'),
      ).toHaveLength(3);
      expect(await history.list('argocd:main', 'b')).toHaveLength(1);
    });
  },
);
