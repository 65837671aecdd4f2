import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type {
  GitopsLiveStateProvider,
  LiveResource,
} from '@goldenpath/plugin-gitops-node';
import { HistoryStore } from '../history/HistoryStore';
import { pollOnce } from './Poller';
import { SnapshotStore } from './SnapshotStore';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const app = (images: string[]): LiveResource => ({
  key: 'argocd/api-production',
  name: 'api-production',
  labels: { 'app.kubernetes.io/name': 'api' },
  images,
  sync: 'Synced',
  health: 'Healthy',
});

describe('pollOnce and the history', () => {
  it('writes the snapshot even when the history write fails, logs that once, and records with the next poll', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await SnapshotStore.create({
      getClient: async () => knex,
    } as any);
    const history = new HistoryStore(knex);
    const logger = mockServices.logger.mock();
    let resources = [app(['r/api:v1'])];
    const provider = {
      id: 'argocd:main',
      displayName: 'Argo CD instance "main"',
      controller: 'argocd',
      pollIntervalMs: 30_000,
      list: async () => resources,
      selectorFor: () => undefined,
    } as GitopsLiveStateProvider;
    const memory = {};
    let minute = 0;
    const poll = () =>
      pollOnce({
        provider,
        store,
        history,
        logger,
        memory,
        signal: new AbortController().signal,
        now: () => new Date(Date.UTC(2026, 10, 22, 10, minute++)),
      });

    await poll();
    resources = [app(['r/api:v2'])];
    const busy = Object.assign(new Error('database is locked'), {
      code: 'SQLITE_BUSY',
    });
    jest
      .spyOn(history, 'record')
      .mockRejectedValueOnce(busy)
      .mockRejectedValueOnce(busy);
    await poll();
    await poll();
    // The snapshot moved on; the history did not yet.
    const { resources: rows } = await store.readAll();
    expect(rows.map(r => r.resource.images)).toEqual([['r/api:v2']]);
    expect(
      (await history.list('argocd:main', 'argocd/api-production')).map(
        r => r.images,
      ),
    ).toEqual([['r/api:v1']]);
    expect((logger.warn as jest.Mock).mock.calls).toEqual([
      [
        'Argo CD instance "main": the GitOps history was not recorded (SQLITE_BUSY); the next poll records it',
      ],
    ]);

    await poll();
    expect(await history.list('argocd:main', 'argocd/api-production')).toEqual([
      { images: ['r/api:v2'], since: '2026-11-22T10:03:00.000Z' },
      {
        images: ['r/api:v1'],
        since: '2026-11-22T10:00:00.000Z',
        until: '2026-11-22T10:03:00.000Z',
      },
    ]);
  });
});
