import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import type { LiveResource } from '@goldenpath/plugin-gitops-node';
import { SnapshotStore } from '../snapshot/SnapshotStore';
import { HistoryStore, imagesVersion } from './HistoryStore';

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

    it('records a poll once: an unchanged one reads one row and writes nothing', async () => {
      const { history, knex } = await stores();
      expect(
        await history.recordPoll('argocd:main', [app('a', ['r/a:v1'])], t(0)),
      ).toBe(1);
      const statements: string[] = [];
      const onQuery = (q: { sql: string }) => statements.push(q.sql);
      knex.on('query', onQuery);
      // Another sync and health, same images: nothing to record.
      expect(
        await history.recordPoll(
          'argocd:main',
          [app('a', ['r/a:v1'], { sync: 'OutOfSync', health: 'Degraded' })],
          t(1),
        ),
      ).toBe(0);
      knex.off('query', onQuery);
      const writes = statements.filter(sql =>
        /^\s*(insert|update|delete)/i.test(sql),
      );
      expect(writes).toEqual([]);
      expect(
        statements.filter(sql => /gitops_history(?!_state)/.test(sql)),
      ).toEqual([]);
      expect(await history.list('argocd:main', 'a')).toEqual([
        { images: ['r/a:v1'], since: '2026-11-22T10:00:00.000Z' },
      ]);
    });

    it('records a poll whose history write failed with the next poll', async () => {
      const { history } = await stores();
      await history.recordPoll('argocd:main', [app('a', ['r/a:v1'])], t(0));
      jest
        .spyOn(history, 'record')
        .mockRejectedValueOnce(new Error('SQLITE_BUSY'));
      await expect(
        history.recordPoll('argocd:main', [app('a', ['r/a:v2'])], t(1)),
      ).rejects.toThrow('SQLITE_BUSY');
      expect(
        await history.recordPoll('argocd:main', [app('a', ['r/a:v2'])], t(2)),
      ).toBe(1);
      expect(await history.list('argocd:main', 'a')).toEqual([
        { images: ['r/a:v2'], since: '2026-11-22T10:02:00.000Z' },
        {
          images: ['r/a:v1'],
          since: '2026-11-22T10:00:00.000Z',
          until: '2026-11-22T10:02:00.000Z',
        },
      ]);
    });

    it('starts a run at the controller sync time, written as the poll writes times', async () => {
      const { history } = await stores();
      await history.record(
        'argocd:main',
        [
          app('a', ['r/a:v1'], { lastSyncedAt: '2026-11-22T09:30:00Z' }),
          // A sync time after the poll (a skewed clock) or unreadable: the poll's.
          app('b', ['r/b:v1'], { lastSyncedAt: '2026-11-22T11:00:00Z' }),
          app('c', ['r/c:v1'], { lastSyncedAt: 'yesterday' }),
        ],
        t(0),
      );
      const since = async (key: string) =>
        (await history.list('argocd:main', key))[0].since;
      expect(await since('a')).toBe('2026-11-22T09:30:00.000Z');
      expect(await since('b')).toBe('2026-11-22T10:00:00.000Z');
      expect(await since('c')).toBe('2026-11-22T10:00:00.000Z');
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

describe('imagesVersion', () => {
  it('changes with images only, not their order, duplicates, or other fields', () => {
    const base = imagesVersion([
      app('a', ['r/a:v1', 'r/side:v1']),
      app('b', ['r/b:v1']),
    ]);
    expect(
      imagesVersion([
        app('b', ['r/b:v1'], { sync: 'OutOfSync', revision: 'x' }),
        app('a', ['r/side:v1', 'r/a:v1', 'r/a:v1']),
        // Without images a resource counts as gone, as record treats it.
        app('c', []),
      ]),
    ).toBe(base);
    expect(
      imagesVersion([app('a', ['r/a:v2', 'r/side:v1']), app('b', ['r/b:v1'])]),
    ).not.toBe(base);
    expect(imagesVersion([app('a', ['r/a:v1', 'r/side:v1'])])).not.toBe(base);
  });
});
