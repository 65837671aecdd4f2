import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type {
  GitopsLiveStateProvider,
  LiveResource,
} from '@goldenpath/plugin-gitops-node';
import { HistoryStore } from '../history/HistoryStore';
import {
  frequencyMs,
  pollOnce,
  PollCycle,
  recentlyPolled,
  pollSchedule,
  PollSlots,
  schedulePollers,
} from './Poller';
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

const fakeProvider = (
  id: string,
  more: Partial<GitopsLiveStateProvider> = {},
): GitopsLiveStateProvider => ({
  id,
  displayName: `Argo CD instance "${id}"`,
  controller: 'argocd',
  list: async () => [],
  selectorFor: () => undefined,
  ...more,
});

describe('pollSchedule', () => {
  it("uses the provider's schedule, always with global scope", () => {
    expect(
      pollSchedule(
        fakeProvider('a', {
          schedule: {
            frequency: { cron: '*/2 * * * *' },
            timeout: { seconds: 9 },
            scope: 'local',
          },
          pollIntervalMs: 1_000,
        }),
      ),
    ).toEqual({
      frequency: { cron: '*/2 * * * *' },
      timeout: { seconds: 9 },
      scope: 'global',
    });
  });

  it('keeps pollIntervalMs working for providers without a schedule', () => {
    expect(pollSchedule(fakeProvider('a', { pollIntervalMs: 45_000 }))).toEqual(
      {
        frequency: { milliseconds: 45_000 },
        timeout: { milliseconds: 90_000 },
        initialDelay: { milliseconds: 0 },
        scope: 'global',
      },
    );
    expect(pollSchedule(fakeProvider('a')).frequency).toEqual({
      milliseconds: 30_000,
    });
  });
});

describe('PollSlots', () => {
  it('runs at most `limit` polls at once, and all of them', async () => {
    const slots = new PollSlots(2);
    let running = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const poll = () =>
      slots.run(new AbortController().signal, async () => {
        running++;
        most = Math.max(most, running);
        await new Promise<void>(r => releases.push(r));
        running--;
      });
    const all = Promise.all([poll(), poll(), poll(), poll(), poll()]);
    await new Promise(r => setImmediate(r));
    expect(running).toBe(2);
    while (releases.length || running) {
      releases.shift()?.();
      await new Promise(r => setImmediate(r));
    }
    await all;
    expect(most).toBe(2);
    expect(slots.active).toBe(0);
  });

  it('gives up waiting when the task is aborted, freeing nothing it did not take', async () => {
    const slots = new PollSlots(1);
    let release!: () => void;
    const first = slots.run(
      new AbortController().signal,
      () => new Promise<void>(r => (release = r)),
    );
    const abort = new AbortController();
    const ran = jest.fn();
    const waiting = slots.run(abort.signal, async () => ran());
    abort.abort();
    await expect(waiting).rejects.toThrow(
      'aborted while waiting for a polling slot',
    );
    release();
    await first;
    expect(ran).not.toHaveBeenCalled();
    expect(slots.active).toBe(0);
  });
});

/** A snapshot store on SQLite and a scheduler that keeps the tasks it is given. */
async function schedulingWorld() {
  const knex = await databases.init('SQLITE_3');
  const store = await SnapshotStore.create({
    getClient: async () => knex,
  } as any);
  const tasks: any[] = [];
  const scheduler = mockServices.scheduler.mock({
    scheduleTask: jest.fn(async task => {
      tasks.push(task);
    }),
  });
  return { store, scheduler, tasks };
}

describe('schedulePollers', () => {
  it('schedules one global task per provider on its schedule, capped by the slots', async () => {
    const { store, scheduler, tasks } = await schedulingWorld();
    let running = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const list = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>(r => releases.push(r));
      running--;
      return [app(['r/api:v1'])];
    };
    const providers = ['a', 'b', 'c'].map(id =>
      fakeProvider(id, {
        list,
        schedule: { frequency: { seconds: 10 }, timeout: { seconds: 3 } },
      }),
    );
    const onPolled = jest.fn();
    await schedulePollers({
      providers,
      scheduler,
      store,
      logger: mockServices.logger.mock(),
      onPolled,
      slots: new PollSlots(2),
    });
    expect(tasks.map(t => [t.id, t.scope, t.frequency])).toEqual([
      ['gitops-poll-a', 'global', { seconds: 10 }],
      ['gitops-poll-b', 'global', { seconds: 10 }],
      ['gitops-poll-c', 'global', { seconds: 10 }],
    ]);
    const all = Promise.all(tasks.map(t => t.fn(new AbortController().signal)));
    await new Promise(r => setTimeout(r, 20));
    expect(running).toBe(2);
    while (onPolled.mock.calls.length < 3) {
      releases.shift()?.();
      await new Promise(r => setTimeout(r, 10));
    }
    await all;
    expect(most).toBe(2);
  });
});

describe('the first poll after a start', () => {
  it('waits for the schedule when the stored snapshot was polled less than one interval ago', async () => {
    const { store, scheduler, tasks } = await schedulingWorld();
    const list = jest.fn(async () => [app(['r/api:v1'])]);
    const schedule = { frequency: { seconds: 30 }, timeout: { seconds: 3 } };
    const fresh = fakeProvider('fresh', { list, schedule });
    const old = fakeProvider('old', { list, schedule });
    const cron = fakeProvider('cron', {
      list,
      schedule: { frequency: { cron: '* * * * *' }, timeout: { seconds: 3 } },
    });
    await store.recordSuccess('fresh', [app(['r/api:v1'])], new Date());
    await store.recordSuccess(
      'old',
      [app(['r/api:v1'])],
      new Date(Date.now() - 31_000),
    );
    await store.recordSuccess('cron', [app(['r/api:v1'])], new Date());
    const logger = mockServices.logger.mock();
    await schedulePollers({
      providers: [fresh, old, cron],
      scheduler,
      store,
      logger,
      onPolled: () => {},
      slots: new PollSlots(4),
    });
    const run = (i: number) => tasks[i].fn(new AbortController().signal);
    await Promise.all([run(0), run(1), run(2)]);
    // Only the stale one and the cron one (no interval to compare) polled.
    expect(list).toHaveBeenCalledTimes(2);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Argo CD instance "fresh": polled \d+ s ago \(before this backend started, or by another replica\); answering from the stored snapshot until the next poll on schedule$/,
      ),
    );
    // The next run of the fresh one polls.
    await run(0);
    expect(list).toHaveBeenCalledTimes(3);
  });

  it('reads the interval of a duration schedule, and none of cron or manual ones', () => {
    expect(
      frequencyMs({ frequency: { minutes: 2 }, timeout: { seconds: 1 } }),
    ).toBe(120_000);
    expect(
      frequencyMs({
        frequency: { cron: '* * * * *' },
        timeout: { seconds: 1 },
      }),
    ).toBeUndefined();
    expect(
      frequencyMs({
        frequency: { trigger: 'manual' },
        timeout: { seconds: 1 },
      }),
    ).toBeUndefined();
    const now = Date.parse('2026-12-02T10:00:30Z');
    const at = (iso: string, ok = true) => ({ ok, lastSuccessAt: iso });
    expect(recentlyPolled(at('2026-12-02T10:00:10Z'), 30_000, now)).toBe(true);
    expect(recentlyPolled(at('2026-12-02T10:00:00Z'), 30_000, now)).toBe(false);
    expect(recentlyPolled(at('2026-12-02T10:00:10Z', false), 30_000, now)).toBe(
      false,
    );
    expect(recentlyPolled(at('2026-12-02T10:00:40Z'), 30_000, now)).toBe(false);
    expect(recentlyPolled(undefined, 30_000, now)).toBe(false);
    expect(recentlyPolled(at('2026-12-02T10:00:10Z'), undefined, now)).toBe(
      false,
    );
  });
});

describe('pollOnce timing', () => {
  it('logs one line per poll with the count, the time and whether anything changed, without URLs', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await SnapshotStore.create({
      getClient: async () => knex,
    } as any);
    const logger = mockServices.logger.mock();
    let t = 0;
    const clock = () => (t += 120);
    const provider = fakeProvider('main', {
      list: async () => [app(['r/api:v1'])],
    });
    const poll = () =>
      pollOnce({
        provider,
        store,
        logger,
        clock,
        signal: new AbortController().signal,
      });
    await poll();
    expect(logger.info).toHaveBeenCalledWith(
      'Argo CD instance "main": polled 1 resources in 120 ms (list and store); snapshot updated (1 rows written, 0 deleted), 1 changed sync or health',
    );
    await poll();
    expect(logger.debug).toHaveBeenCalledWith(
      'Argo CD instance "main": polled 1 resources in 120 ms (list and store); unchanged',
    );

    const failing = fakeProvider('main', {
      list: async () => {
        throw new Error('unreachable at https://user:pw@argocd.example.com');
      },
    });
    await pollOnce({
      provider: failing,
      store,
      logger,
      clock,
      signal: new AbortController().signal,
    });
    expect(logger.debug).toHaveBeenLastCalledWith(
      'Argo CD instance "main": poll failed after 120 ms',
    );
    const lines = [
      ...logger.debug.mock.calls,
      ...logger.info.mock.calls,
    ].flat();
    expect(lines.join('\n')).not.toMatch(/https?:|pw/);
  });
});

describe('PollCycle', () => {
  it('logs one line per full cycle with its providers, resources and time, and starts again', () => {
    const logger = mockServices.logger.mock();
    let now = 1000;
    const cycle = new PollCycle(['a', 'b', 'c'], logger, () => now);
    cycle.started();
    now = 1200;
    cycle.started(); // b starts while a runs: still the same cycle
    cycle.finishedPoll('a', { ok: true, resources: 10 });
    cycle.finishedPoll('a', { ok: true, resources: 10 }); // a twice: counted once
    cycle.finishedPoll('b', { ok: false, resources: 0 });
    expect(logger.info).not.toHaveBeenCalled();
    now = 4500;
    cycle.finishedPoll('c', { ok: true, resources: 32 });
    expect((logger.info as jest.Mock).mock.calls).toEqual([
      [
        'GitOps poll cycle: 3 providers, 42 resources in 3500 ms; 1 failed, serving their last state',
      ],
    ]);
    // A poll ending outside a cycle (none started) is not counted.
    cycle.finishedPoll('a', { ok: true, resources: 10 });
    now = 10_000;
    cycle.started();
    for (const id of ['a', 'b', 'c']) {
      cycle.finishedPoll(id, { ok: true, resources: 1 });
    }
    expect((logger.info as jest.Mock).mock.calls[1]).toEqual([
      'GitOps poll cycle: 3 providers, 3 resources in 0 ms',
    ]);
  });
});
