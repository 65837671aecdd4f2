import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import type { LiveResource } from '@goldenpath/plugin-gitops-node';
import { randomBytes } from 'node:crypto';
import { CompactResources, SnapshotImageError } from './CompactResources';
import { SnapshotStore, stateSince } from './SnapshotStore';

const databases = TestDatabases.create();
const ids = databases.eachSupportedId();

const resource = (
  key: string,
  sync: LiveResource['sync'],
  health: LiveResource['health'],
): LiveResource => ({
  key,
  name: key,
  labels: { 'app.kubernetes.io/name': 'svc' },
  images: ['r/svc:v1'],
  sync,
  health,
});

describe('stateSince', () => {
  const poll = '2026-11-22T12:00:00.000Z';
  const before = {
    sync: 'Synced',
    health: 'Degraded',
    since: '2026-11-22T11:00:00.000Z',
  };
  it.each([
    [
      "the controller's time",
      { sync: 'Synced', health: 'Degraded', since: '2026-11-20T21:14:03Z' },
      undefined,
      '2026-11-20T21:14:03.000Z',
    ],
    [
      "the controller's time over the poller's",
      { sync: 'Synced', health: 'Degraded', since: '2026-11-20T21:14:03Z' },
      before,
      '2026-11-20T21:14:03.000Z',
    ],
    [
      'never later than the poll',
      { sync: 'Synced', health: 'Degraded', since: '2026-11-23T00:00:00Z' },
      undefined,
      poll,
    ],
    [
      'the first poll that saw the state, without a controller time',
      { sync: 'Synced', health: 'Degraded' },
      before,
      before.since,
    ],
    [
      'this poll when the state changed',
      { sync: 'OutOfSync', health: 'Degraded' },
      before,
      poll,
    ],
    [
      'this poll when the controller time is not a time',
      { sync: 'Synced', health: 'Degraded', since: 'yesterday' },
      undefined,
      poll,
    ],
  ] as const)('is %s', (_, live, previous, expected) => {
    expect(stateSince(live, previous, poll)).toBe(expected);
  });
});

it('runs on PostgreSQL when the test command says it answers', () => {
  const engines = new Set(ids.map(([id]) => id.replace(/_\d+$/, '')));
  // scripts/test.sh sets GITOPS_TEST_REQUIRE_POSTGRES when PostgreSQL answers.
  const expected = process.env.GITOPS_TEST_REQUIRE_POSTGRES
    ? ['POSTGRES', 'SQLITE']
    : ['SQLITE'];
  expect([...engines]).toEqual(expect.arrayContaining(expected));
});

describe.each(ids)('SnapshotStore on %s', (databaseId: TestDatabaseId) => {
  async function store() {
    const knex = await databases.init(databaseId);
    return {
      knex,
      store: await SnapshotStore.create({ getClient: async () => knex } as any),
    };
  }

  it('leaves the rows alone when a poll reports what the last one did', async () => {
    const { knex, store: s } = await store();
    const t0 = new Date('2026-11-22T10:00:00Z');
    const t1 = new Date('2026-11-22T10:00:30Z');
    const same = [
      resource('a', 'Synced', 'Healthy'),
      resource('b', 'OutOfSync', 'Degraded'),
    ];
    await s.recordSuccess('argocd:main', same, t0);
    const [before] = await s.readProviderStates();
    const seenAt = await knex('gitops_live_resources').pluck('seen_at');

    // Same resources, other order: no rewrite, only the poll's outcome.
    expect(
      await s.recordSuccess('argocd:main', [...same].reverse(), t1),
    ).toEqual({
      changed: [],
      recovered: false,
      updated: false,
      written: 0,
      deleted: 0,
    });
    expect(await knex('gitops_live_resources').pluck('seen_at')).toEqual(
      seenAt,
    );
    const [after] = await s.readProviderStates();
    expect(after.resourcesVersion).toBe(before.resourcesVersion);
    expect(after.lastSuccessAt).toBe(t1.toISOString());

    // A failure in between, then the same resources: recovered, no rewrite.
    await s.recordFailure('argocd:main', 'timeout', t1);
    expect(await s.recordSuccess('argocd:main', same, t1)).toEqual({
      changed: [],
      recovered: true,
      updated: false,
      written: 0,
      deleted: 0,
    });

    // A change gets a new version.
    const outcome = await s.recordSuccess(
      'argocd:main',
      [resource('a', 'Synced', 'Healthy')],
      t1,
    );
    expect(outcome).toMatchObject({ updated: true, written: 0, deleted: 1 });
    const [changed] = await s.readProviderStates();
    expect(changed.resourcesVersion).not.toBe(before.resourcesVersion);
    expect((await s.readAll()).resources).toHaveLength(1);
  });

  it('writes only the rows that changed, and deletes only the ones gone', async () => {
    const { knex, store: s } = await store();
    const t0 = new Date('2026-11-22T10:00:00Z');
    const t1 = new Date('2026-11-22T10:00:30Z');
    const many = Array.from({ length: 250 }, (_, i) =>
      resource(`app-${i}`, 'Synced', 'Healthy'),
    );
    expect(await s.recordSuccess('argocd:main', many, t0)).toMatchObject({
      updated: true,
      written: 250,
      deleted: 0,
    });
    const next = [
      ...many.slice(0, 200),
      { ...resource('app-200', 'OutOfSync', 'Healthy') },
      ...many.slice(201, 249),
      resource('new', 'Synced', 'Progressing'),
    ];
    const outcome = await s.recordSuccess('argocd:main', next, t1);
    expect(outcome).toMatchObject({ updated: true, written: 2, deleted: 1 });
    expect(outcome.changed.map(c => c.resource.key).sort()).toEqual([
      'app-200',
      'new',
    ]);
    // Untouched rows keep the poll that wrote them; the changed ones are new.
    const seen = await knex('gitops_live_resources')
      .select('resource_key', 'seen_at')
      .whereIn('resource_key', ['app-0', 'app-200', 'new']);
    expect(
      Object.fromEntries(seen.map(r => [r.resource_key, r.seen_at])),
    ).toEqual({
      'app-0': t0.toISOString(),
      'app-200': t1.toISOString(),
      new: t1.toISOString(),
    });
    const { resources } = await s.readAll();
    expect(resources.map(r => r.resource.key).sort()).toEqual(
      next.map(r => r.key).sort(),
    );
    // Read back page by page (the next page fetched while one is parsed):
    // every row once, in key order, whatever the page size.
    for (const pageRows of [1, 7, 100, 250, 1000]) {
      const keys: string[] = [];
      expect(
        await s.readProviderResources(
          'argocd:main',
          r => keys.push(r.key),
          pageRows,
        ),
      ).toBe(250);
      expect(keys).toEqual(resources.map(r => r.resource.key));
    }
    expect(
      resources.find(r => r.resource.key === 'app-200')!.resource.sync,
    ).toBe('OutOfSync');
  });

  it('keeps "since" while sync and health stay, and across a restart', async () => {
    const { knex, store: first } = await store();
    const t0 = new Date('2026-11-22T10:00:00Z');
    const t1 = new Date('2026-11-22T10:42:00Z');
    const t2 = new Date('2026-11-22T11:00:00Z');
    await first.recordSuccess(
      'argocd:main',
      [resource('a', 'Synced', 'Healthy'), resource('b', 'Synced', 'Healthy')],
      t0,
    );
    const { changed } = await first.recordSuccess(
      'argocd:main',
      [
        resource('a', 'OutOfSync', 'Degraded'),
        resource('b', 'Synced', 'Healthy'),
      ],
      t1,
    );
    expect(changed.map(c => [c.resource.key, c.previous])).toEqual([
      ['a', expect.objectContaining({ sync: 'Synced', health: 'Healthy' })],
    ]);

    // A new store on the same database, as after a restart or on another replica.
    const restarted = await SnapshotStore.create({
      getClient: async () => knex,
    } as any);
    await restarted.recordSuccess(
      'argocd:main',
      [resource('a', 'OutOfSync', 'Degraded')],
      t2,
    );
    const { resources } = await restarted.readAll();
    expect(resources).toEqual([
      {
        providerId: 'argocd:main',
        resource: resource('a', 'OutOfSync', 'Degraded'),
        since: t1.toISOString(),
      },
    ]);
  });

  it('keeps the last known state through failures and remembers since when it fails', async () => {
    const { store: s } = await store();
    await s.recordSuccess(
      'argocd:main',
      [resource('a', 'Synced', 'Healthy')],
      new Date('2026-11-22T10:00:00Z'),
    );
    await s.recordSuccess('argocd:dr', [], new Date('2026-11-22T10:00:00Z'));
    expect(
      await s.recordFailure(
        'argocd:main',
        'answered HTTP 500',
        new Date('2026-11-22T10:01:00Z'),
      ),
    ).toMatchObject({ ok: true });
    await s.recordFailure(
      'argocd:main',
      'answered HTTP 500',
      new Date('2026-11-22T10:02:00Z'),
    );
    const { resources, providers } = await s.readAll();
    expect(resources).toHaveLength(1);
    expect(providers.find(p => p.providerId === 'argocd:main')).toEqual({
      resourcesVersion: expect.any(String),
      providerId: 'argocd:main',
      ok: false,
      error: 'answered HTTP 500',
      lastAttemptAt: '2026-11-22T10:02:00.000Z',
      lastSuccessAt: '2026-11-22T10:00:00.000Z',
      failingSince: '2026-11-22T10:01:00.000Z',
    });
    expect(providers.find(p => p.providerId === 'argocd:dr')!.ok).toBe(true);
  });

  it("stores the controller's since, and keeps it across a restart", async () => {
    const { knex, store: first } = await store();
    const degraded = {
      ...resource('a', 'Synced', 'Degraded'),
      since: '2026-11-20T21:14:03.000Z',
    };
    await first.recordSuccess(
      'argocd:main',
      [degraded],
      new Date('2026-11-22T10:00:00Z'),
    );
    const restarted = await SnapshotStore.create({
      getClient: async () => knex,
    } as any);
    await restarted.recordSuccess(
      'argocd:main',
      [{ ...degraded, images: ['r/svc:v2'] }],
      new Date('2026-11-22T11:00:00Z'),
    );
    expect((await restarted.readAll()).resources[0].since).toBe(
      '2026-11-20T21:14:03.000Z',
    );
  });

  it('stores a large snapshot in chunks', async () => {
    const { store: s } = await store();
    const many = Array.from({ length: 3000 }, (_, i) =>
      resource(`argocd/app-${i}`, 'Synced', 'Healthy'),
    );
    await s.recordSuccess('argocd:main', many, new Date());
    expect((await s.readAll()).resources).toHaveLength(3000);
  });

  describe('images', () => {
    const byKey = (
      a: { resource: LiveResource },
      b: { resource: LiveResource },
    ) => (a.resource.key < b.resource.key ? -1 : 1);
    const fromImage = async (s: SnapshotStore, providerId = 'argocd:main') => {
      const state = (await s.readProviderStates()).find(
        p => p.providerId === providerId,
      )!;
      const images = await s.readProviderImages([
        { providerId, version: state.resourcesVersion! },
      ]);
      const compact = images.get(providerId);
      if (compact instanceof SnapshotImageError) throw compact;
      return compact ? [...compact.all()].sort(byKey) : undefined;
    };

    it('writes with the rows an image that reads back as the rows do, since included', async () => {
      const { store: s } = await store();
      const t0 = new Date('2026-11-22T10:00:00Z');
      const t1 = new Date('2026-11-22T10:42:00Z');
      const many = Array.from({ length: 120 }, (_, i) =>
        resource(`app-${i}`, 'Synced', 'Healthy'),
      );
      await s.recordSuccess('argocd:main', many, t0);
      expect(await fromImage(s)).toEqual(
        (await s.readAll()).resources.sort(byKey),
      );
      // Some rows change: the image keeps the unchanged rows' since.
      await s.recordSuccess(
        'argocd:main',
        [
          ...many.slice(0, 100),
          resource('app-100', 'OutOfSync', 'Healthy'),
          {
            ...resource('new', 'Synced', 'Degraded'),
            since: '2026-11-22T10:30:00Z',
          },
        ],
        t1,
      );
      const rows = (await s.readAll()).resources.sort(byKey);
      expect(rows).toHaveLength(102);
      expect(await fromImage(s)).toEqual(rows);
      const since = Object.fromEntries(
        (await fromImage(s))!.map(r => [r.resource.key, r.since]),
      );
      expect(since['app-0']).toBe(t0.toISOString());
      expect(since['app-100']).toBe(t1.toISOString());
      expect(since.new).toBe('2026-11-22T10:30:00.000Z');
    });

    it('reads the images asked for in one query, none of another version, and refuses a damaged one', async () => {
      const { knex, store: s } = await store();
      await s.recordSuccess(
        'argocd:main',
        [resource('a', 'Synced', 'Healthy')],
        new Date('2026-11-22T10:00:00Z'),
      );
      await s.recordSuccess(
        'argocd:dr',
        [resource('b', 'Synced', 'Healthy')],
        new Date('2026-11-22T10:00:00Z'),
      );
      const states = await s.readProviderStates();
      const version = (id: string) =>
        states.find(p => p.providerId === id)!.resourcesVersion!;
      // Both in one read; another version or provider is not in the answer.
      const both = await s.readProviderImages([
        { providerId: 'argocd:main', version: version('argocd:main') },
        { providerId: 'argocd:dr', version: version('argocd:dr') },
        { providerId: 'argocd:other', version: 'f'.repeat(64) },
      ]);
      expect([...both.keys()].sort()).toEqual(['argocd:dr', 'argocd:main']);
      expect(
        [...(both.get('argocd:dr') as CompactResources).all()].map(
          r => r.resource.key,
        ),
      ).toEqual(['b']);
      expect(
        await s.readProviderImages([
          { providerId: 'argocd:main', version: 'f'.repeat(64) },
        ]),
      ).toEqual(new Map());

      await knex('gitops_snapshot_images')
        .where({ provider_id: 'argocd:main' })
        .update({ bytes: Buffer.from('not gzip') });
      const damaged = await s.readProviderImages([
        { providerId: 'argocd:main', version: version('argocd:main') },
        { providerId: 'argocd:dr', version: version('argocd:dr') },
      ]);
      expect(damaged.get('argocd:main')).toBeInstanceOf(SnapshotImageError);
      expect(damaged.get('argocd:dr')).toBeInstanceOf(CompactResources);
    });

    it('writes no image for an unchanged poll, but gives a provider without one its image', async () => {
      const { knex, store: s } = await store();
      const same = [
        resource('a', 'Synced', 'Healthy'),
        resource('b', 'OutOfSync', 'Degraded'),
      ];
      await s.recordSuccess(
        'argocd:main',
        same,
        new Date('2026-11-22T10:00:00Z'),
      );
      const writtenAt = () =>
        knex('gitops_snapshot_images')
          .where({ provider_id: 'argocd:main', piece: 0 })
          .first('written_at')
          .then(r => r?.written_at);
      expect(await writtenAt()).toBe('2026-11-22T10:00:00.000Z');
      await s.recordSuccess(
        'argocd:main',
        same,
        new Date('2026-11-22T10:00:30Z'),
      );
      expect(await writtenAt()).toBe('2026-11-22T10:00:00.000Z');

      // As a database written before images: the rows, no image.
      await knex('gitops_snapshot_images').delete();
      const repaired = await s.recordSuccess(
        'argocd:main',
        same,
        new Date('2026-11-22T10:01:00Z'),
      );
      expect(repaired).toMatchObject({
        changed: [],
        recovered: false,
        updated: false,
        written: 0,
        deleted: 0,
      });
      expect(repaired.image?.resources.size).toBe(2);
      expect(await writtenAt()).toBe('2026-11-22T10:01:00.000Z');
      expect(await fromImage(s)).toEqual(
        (await s.readAll()).resources.sort(byKey),
      );
    });

    it('stores a large image in pieces of at most 60 KiB, and refuses one with a piece missing', async () => {
      const { knex, store: s } = await store();
      const many = Array.from({ length: 4000 }, (_, i) => ({
        ...resource(`argocd/app-${i}`, 'Synced', 'Healthy'),
        // Revisions do not compress: the image needs several pieces.
        revision: randomBytes(20).toString('hex'),
      }));
      await s.recordSuccess('argocd:main', many, new Date());
      const pieces = await knex('gitops_snapshot_images')
        .where({ provider_id: 'argocd:main' })
        .orderBy('piece')
        .select('piece', 'pieces', 'bytes');
      expect(pieces.length).toBeGreaterThan(1);
      expect(pieces.map(p => p.piece)).toEqual(pieces.map((_, i) => i));
      expect(pieces.every(p => p.pieces === pieces.length)).toBe(true);
      expect(Math.max(...pieces.map(p => p.bytes.length))).toBe(60 * 1024);
      expect(await fromImage(s)).toEqual(
        (await s.readAll()).resources.sort(byKey),
      );

      await knex('gitops_snapshot_images')
        .where({ provider_id: 'argocd:main', piece: 1 })
        .delete();
      const [state] = await s.readProviderStates();
      const images = await s.readProviderImages([
        { providerId: 'argocd:main', version: state.resourcesVersion! },
      ]);
      expect(String(images.get('argocd:main'))).toMatch(
        /SnapshotImageError: snapshot image of argocd:main: incomplete/,
      );
    });

    it('keeps one row per key when a provider reports one twice: the last report', async () => {
      const { store: s } = await store();
      await s.recordSuccess(
        'argocd:main',
        [
          resource('a', 'Synced', 'Healthy'),
          resource('b', 'Synced', 'Healthy'),
          resource('a', 'OutOfSync', 'Degraded'),
        ],
        new Date('2026-11-22T10:00:00Z'),
      );
      const rows = (await s.readAll()).resources.sort(byKey);
      expect(rows.map(r => [r.resource.key, r.resource.sync])).toEqual([
        ['a', 'OutOfSync'],
        ['b', 'Synced'],
      ]);
      expect(await fromImage(s)).toEqual(rows);
    });
  });
});
