import {
  DEFAULT_STUCK_AFTER_MS,
  formatDuration,
  isSettled,
  readStuckAfter,
  shortReason,
  stuckFor,
  unsettledFor,
} from './stuck';

const now = Date.parse('2026-11-22T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();
const DAY = 86_400_000;

describe('stuckFor', () => {
  it.each([
    ['Degraded for 2 days', 'Synced', 'Degraded', ago(2 * DAY), 2 * DAY],
    ['OutOfSync for 11 minutes', 'OutOfSync', 'Healthy', ago(660_000), 660_000],
    ['Degraded for 9 minutes', 'Synced', 'Degraded', ago(540_000), undefined],
    [
      'Synced and Healthy for days',
      'Synced',
      'Healthy',
      ago(9 * DAY),
      undefined,
    ],
    ['Suspended on purpose', 'Synced', 'Suspended', ago(9 * DAY), undefined],
    [
      'Degraded since an unknown time',
      'Synced',
      'Degraded',
      undefined,
      undefined,
    ],
    ['Degraded since a bad time', 'Synced', 'Degraded', 'soon', undefined],
  ] as const)('%s', (_, sync, health, since, expected) => {
    expect(stuckFor({ sync, health, since }, now)).toBe(expected);
  });

  it('uses the given threshold, and the default of 10 minutes', () => {
    const live = {
      sync: 'Synced',
      health: 'Degraded',
      since: ago(3_600_000),
    } as const;
    expect(stuckFor(live, now, 2 * 3_600_000)).toBeUndefined();
    expect(stuckFor(live, now, 30 * 60_000)).toBe(3_600_000);
    expect(DEFAULT_STUCK_AFTER_MS).toBe(600_000);
    expect(stuckFor(undefined, now)).toBeUndefined();
  });

  it('never counts a since in the future as negative', () => {
    expect(
      unsettledFor(
        { sync: 'OutOfSync', health: 'Healthy', since: ago(-60_000) },
        now,
      ),
    ).toBe(0);
  });

  it('settles only Synced and Healthy, or Suspended', () => {
    expect(isSettled({ sync: 'Synced', health: 'Healthy' })).toBe(true);
    expect(isSettled({ sync: 'Unknown', health: 'Healthy' })).toBe(false);
    expect(isSettled({ sync: 'Synced', health: 'Progressing' })).toBe(false);
  });
});

describe('formatDuration', () => {
  it.each([
    [2 * DAY + 5 * 3_600_000, '2 days'],
    [DAY, '1 day'],
    [3_600_000, '1 hour'],
    [12 * 60_000 + 30_000, '12 minutes'],
    [59_000, 'less than a minute'],
  ])('%d ms -> %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('shortReason', () => {
  it('cuts at a word with an ellipsis', () => {
    const message =
      'one or more objects failed to apply, reason: Deployment.apps "embeddings-worker" is invalid: spec.template';
    expect(shortReason([{ source: 'operation', message }], 60)).toBe(
      'one or more objects failed to apply, reason:…',
    );
    expect(shortReason([{ source: 'operation', message }], 500)).toBe(message);
    expect(shortReason([], 60)).toBeUndefined();
    expect(shortReason(undefined)).toBeUndefined();
  });
});

describe('readStuckAfter', () => {
  it.each([
    [undefined, DEFAULT_STUCK_AFTER_MS],
    ['10m', 600_000],
    ['90s', 90_000],
    [' 2h ', 7_200_000],
    ['1d', DAY],
    [{ minutes: 10 }, 600_000],
    [{ hours: 1, minutes: 30 }, 5_400_000],
  ])('%j -> %d ms', (value, ms) => {
    expect(readStuckAfter(value)).toBe(ms);
  });

  it.each([
    ['10'],
    ['ten minutes'],
    ['-5m'],
    ['0m'],
    [{ weeks: 1 }],
    [{}],
    [{ m: 5 }],
    [10],
    [[1]],
  ])('refuses %j, naming the key and the rule', value => {
    expect(() => readStuckAfter(value)).toThrow(
      `gitops.ui.stuckAfter must be a positive duration such as "10m", "2h", "1d" or { minutes: 10 }, got ${JSON.stringify(
        value,
      )}`,
    );
  });
});
