import { mockServices } from '@backstage/backend-test-utils';
import type { LiveResource } from '@goldenpath/plugin-gitops-node';
import { CompactResources, SnapshotImageError } from './CompactResources';
import { SnapshotCache } from './SnapshotCache';
import type {
  ProviderState,
  SnapshotResource,
  SnapshotStore,
} from './SnapshotStore';

function fakeStore() {
  const resource = (name: string): SnapshotResource => ({
    providerId: 'argocd:main',
    since: '2026-11-22T10:00:00Z',
    resource: {
      key: name,
      name,
      labels: { 'app.kubernetes.io/name': name },
      images: [],
      sync: 'Synced',
      health: 'Healthy',
    } as LiveResource,
  });
  const state = {
    resources: [resource('a')],
    provider: {
      providerId: 'argocd:main',
      ok: true,
      lastAttemptAt: 't0',
      resourcesVersion: 'v1',
    } as ProviderState,
    readAll: 0,
    readStates: 0,
    readImages: 0,
    images: new Map<string, CompactResources | 'damaged'>(),
    gate: undefined as Promise<void> | undefined,
    resource,
  };
  const store = {
    // Each read sees the data as it is when the read starts.
    async readProviderStates() {
      state.readStates++;
      const providers = [{ ...state.provider }];
      await state.gate;
      return providers;
    },
    async readProviderResources(
      providerId: string,
      onRow: (resource: LiveResource, since: string) => void,
    ) {
      state.readAll++;
      const rows = state.resources.filter(r => r.providerId === providerId);
      await state.gate;
      for (const row of rows) onRow(row.resource, row.since);
      return rows.length;
    },
    async readProviderImages(
      wanted: Array<{ providerId: string; version: string }>,
    ) {
      state.readImages++;
      await state.gate;
      const out = new Map<string, CompactResources | SnapshotImageError>();
      for (const { providerId, version } of wanted) {
        const image = state.images.get(`${providerId}@${version}`);
        if (image === 'damaged') {
          out.set(
            providerId,
            new SnapshotImageError(`snapshot image of ${providerId}: damaged`),
          );
        } else if (image) {
          out.set(providerId, image);
        }
      }
      return out;
    },
  } as unknown as SnapshotStore;
  return { store, state };
}

const names = (s: Awaited<ReturnType<SnapshotCache['get']>>) =>
  [...(s.resources.get('argocd:main')?.all() ?? [])].map(r => r.resource.name);

describe('SnapshotCache', () => {
  it('loads once, then answers from memory and revalidates in the background', async () => {
    const { store, state } = fakeStore();
    let now = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const cache = new SnapshotCache(store, 1000);

    expect(names(await cache.get())).toEqual(['a']);
    expect(names(await cache.get())).toEqual(['a']);
    expect([state.readAll, state.readStates]).toEqual([1, 1]);

    // Older than maxAge, versions unchanged: one small query, no reload.
    now = 1500;
    state.provider = { ...state.provider, ok: false, error: 'timeout' };
    const stale = await cache.get();
    expect(stale.providers.get('argocd:main')!.ok).toBe(true); // answered at once
    await new Promise(r => setImmediate(r));
    expect([state.readAll, state.readStates]).toEqual([1, 2]);
    expect((await cache.get()).providers.get('argocd:main')!.error).toBe(
      'timeout',
    );

    // Another replica polled something new: the resources are reloaded.
    now = 3000;
    state.resources = [state.resource('a'), state.resource('b')];
    state.provider = { ...state.provider, ok: true, resourcesVersion: 'v2' };
    expect(names(await cache.get())).toEqual(['a']);
    await new Promise(r => setImmediate(r));
    await new Promise(r => setImmediate(r));
    expect(names(await cache.get())).toEqual(['a', 'b']);
    expect(state.readAll).toBe(2);
  });

  it('makes requests after a poll in this process wait for what it found', async () => {
    const { store, state } = fakeStore();
    const cache = new SnapshotCache(store, 60_000);
    await cache.get();

    // A refresh is under way (started before the poll wrote) when the poll ends.
    let open!: () => void;
    state.gate = new Promise<void>(r => (open = r));
    cache.invalidate();
    state.resources = [state.resource('c')];
    state.provider = { ...state.provider, resourcesVersion: 'v3' };
    cache.invalidate();
    const next = cache.get();
    open();
    state.gate = undefined;
    expect(names(await next)).toEqual(['c']);
  });

  it('keeps answering from the copy in hand when a refresh fails', async () => {
    const { store, state } = fakeStore();
    let now = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const cache = new SnapshotCache(store, 1000);
    await cache.get();
    now = 5000;
    (store as any).readProviderStates = async () => {
      throw new Error('database gone');
    };
    const first = await cache.get(); // answered at once; the refresh fails
    expect(names(first)).toEqual(['a']);
    expect(first.stale).toBeUndefined();
    await new Promise(r => setImmediate(r));
    const stale = await cache.get();
    expect(names(stale)).toEqual(['a']);
    expect(stale.stale).toEqual({
      since: expect.any(String),
      loadedAt: new Date(0).toISOString(),
    });
    expect(state.readAll).toBe(1);
  });

  it('marks the copy stale while the database fails, logging its code once, and clears it on recovery', async () => {
    const { store } = fakeStore();
    const logger = mockServices.logger.mock();
    const cache = new SnapshotCache(store, 60_000, logger);
    await cache.get();
    const readStates = store.readProviderStates;
    (store as any).readProviderStates = async () => {
      throw Object.assign(
        new Error('connect ECONNREFUSED 10.0.0.7:5432 user "gitops"'),
        { code: 'ECONNREFUSED' },
      );
    };
    const tick = () => new Promise(r => setImmediate(r));
    cache.invalidate();
    await tick();
    const stale = await cache.get();
    expect(names(stale)).toEqual(['a']);
    expect(stale.stale?.since).toEqual(expect.any(String));
    cache.invalidate();
    await tick();
    expect((await cache.get()).stale?.since).toBe(stale.stale?.since);
    expect((logger.warn as jest.Mock).mock.calls).toEqual([
      [
        'GitOps status database did not answer (ECONNREFUSED); serving the last snapshot loaded, marked stale',
      ],
    ]);
    (store as any).readProviderStates = readStates;
    cache.invalidate();
    await tick();
    expect((await cache.get()).stale).toBeUndefined();
    expect(logger.info).toHaveBeenCalledWith(
      'GitOps status database: answering again',
    );
  });

  it('answers an empty snapshot marked unavailable when the database never answered', async () => {
    const { store } = fakeStore();
    (store as any).readProviderStates = async () => {
      throw new Error('no database');
    };
    const cache = new SnapshotCache(store, 60_000);
    const snapshot = await cache.get();
    expect(snapshot.unavailable).toEqual({ since: expect.any(String) });
    expect(snapshot.resources.size).toBe(0);
  });

  it('reloads only the providers whose resources changed, keeping the others as they were', async () => {
    const { store, state } = fakeStore();
    const other = (name: string): SnapshotResource => ({
      ...state.resource(name),
      providerId: 'argocd:dr',
    });
    let drVersion = 'd1';
    state.resources = [state.resource('a'), other('x')];
    (store as any).readProviderStates = async () => [
      { ...state.provider },
      {
        ...state.provider,
        providerId: 'argocd:dr',
        resourcesVersion: drVersion,
      },
    ];
    const cache = new SnapshotCache(store, 60_000);
    const first = await cache.get();
    expect(state.readAll).toBe(2);

    drVersion = 'd2';
    state.resources = [state.resource('a'), other('y')];
    cache.invalidate();
    const second = await cache.get();
    expect(state.readAll).toBe(3);
    expect(second.resources.get('argocd:main')).toBe(
      first.resources.get('argocd:main'),
    );
    expect(
      [...second.resources.get('argocd:dr')!.all()].map(r => r.resource.name),
    ).toEqual(['y']);
  });

  it("loads a provider from its stored image at the state's version, else from its rows, logging a damaged image once", async () => {
    const { store, state } = fakeStore();
    const logger = mockServices.logger.mock();
    const image = new CompactResources('argocd:main');
    image.add(state.resource('from-image').resource, '2026-11-22T10:00:00Z');
    state.images.set('argocd:main@v1', image.seal());
    const cache = new SnapshotCache(store, 60_000, logger);
    expect(names(await cache.get())).toEqual(['from-image']);
    expect(state.readAll).toBe(0);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringMatching(
        /loaded 1 resources of 1 providers .* \(1 from their stored images\)/,
      ),
    );

    // A new version without an image: the rows.
    state.provider.resourcesVersion = 'v2';
    cache.invalidate();
    expect(names(await cache.get())).toEqual(['a']);
    expect(state.readAll).toBe(1);

    // A damaged image: the rows, and one warning however often it is met.
    state.provider.resourcesVersion = 'v3';
    state.images.set('argocd:main@v3', 'damaged');
    state.resources = [state.resource('b')];
    cache.invalidate();
    expect(names(await cache.get())).toEqual(['b']);
    state.provider.resourcesVersion = 'v2';
    cache.invalidate();
    await cache.get();
    state.provider.resourcesVersion = 'v3';
    cache.invalidate();
    await cache.get();
    const warnings = logger.warn.mock.calls.filter(([m]) =>
      String(m).includes('damaged'),
    );
    expect(warnings).toEqual([
      [
        'GitOps snapshot: snapshot image of argocd:main: damaged; loading its rows instead (the next poll that changes them writes a new image)',
      ],
    ]);
  });

  it('takes what a poll here stored as it is, reading nothing back, unless the database has moved on', async () => {
    const { store, state } = fakeStore();
    const cache = new SnapshotCache(store, 60_000);
    await cache.get();
    // The first load: its image asked for (none stored), then its rows.
    expect([state.readAll, state.readImages]).toEqual([1, 1]);
    const polled = (name: string, version: string) => {
      const resources = new CompactResources('argocd:main');
      resources.add(state.resource(name).resource, '2026-11-22T10:00:00Z');
      return {
        providerId: 'argocd:main',
        version,
        resources: resources.seal(),
      };
    };

    state.provider.resourcesVersion = 'v2';
    const v2 = polled('polled', 'v2');
    cache.invalidate(v2);
    const after = await cache.get();
    expect(after.resources.get('argocd:main')).toBe(v2.resources);
    expect([state.readAll, state.readImages]).toEqual([1, 1]);

    // Another replica polled since: its version is in the database, so the
    // offer is not used and the provider is read.
    state.provider.resourcesVersion = 'v4';
    state.resources = [state.resource('other-replica')];
    cache.invalidate(polled('stale', 'v3'));
    expect(names(await cache.get())).toEqual(['other-replica']);
    expect([state.readAll, state.readImages]).toEqual([2, 2]);
  });

  afterEach(() => jest.restoreAllMocks());
});
