import type { LiveResource } from '@goldenpath/plugin-gitops-node';
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
    async readAll() {
      state.readAll++;
      const read = {
        resources: [...state.resources],
        providers: [{ ...state.provider }],
      };
      await state.gate;
      return read;
    },
  } as unknown as SnapshotStore;
  return { store, state };
}

const names = (s: Awaited<ReturnType<SnapshotCache['get']>>) =>
  (s.byProvider.get('argocd:main') ?? []).map(r => r.resource.name);

describe('SnapshotCache', () => {
  it('loads once, then answers from memory and revalidates in the background', async () => {
    const { store, state } = fakeStore();
    let now = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const cache = new SnapshotCache(store, 1000);

    expect(names(await cache.get())).toEqual(['a']);
    expect(names(await cache.get())).toEqual(['a']);
    expect([state.readAll, state.readStates]).toEqual([1, 0]);

    // Older than maxAge, versions unchanged: one small query, no reload.
    now = 1500;
    state.provider = { ...state.provider, ok: false, error: 'timeout' };
    const stale = await cache.get();
    expect(stale.providers.get('argocd:main')!.ok).toBe(true); // answered at once
    await new Promise(r => setImmediate(r));
    expect([state.readAll, state.readStates]).toEqual([1, 1]);
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
    expect(names(await cache.get())).toEqual(['a']);
    await new Promise(r => setImmediate(r));
    expect(names(await cache.get())).toEqual(['a']);
    expect(state.readAll).toBe(1);
  });

  afterEach(() => jest.restoreAllMocks());
});
