// How long an environment has not been where it should settle, and whether
// that is long enough to call it stuck. Pure; the UI reads the threshold
// from `gitops.ui.stuckAfter`.
import type { LiveState, StatusReason } from './types';

/**
 * Default of `gitops.ui.stuckAfter`: the seed article's alert rule, "not
 * ready for more than 10 minutes".
 *
 * @public
 */
export const DEFAULT_STUCK_AFTER_MS = 10 * 60 * 1000;

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
};

/**
 * Reads `gitops.ui.stuckAfter` into milliseconds: a string such as `10m`,
 * `90s`, `2h` or `1d`, or an object of units such as `{ minutes: 10 }` (the
 * form Backstage durations take in app-config); the default when absent.
 * Throws an error naming the key and the rule otherwise.
 *
 * @public
 */
export function readStuckAfter(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_STUCK_AFTER_MS;
  const rule = `gitops.ui.stuckAfter must be a positive duration such as "10m", "2h", "1d" or { minutes: 10 }, got ${JSON.stringify(
    value,
  )}`;
  let ms = NaN;
  if (typeof value === 'string') {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$/.exec(value);
    if (match) ms = Number(match[1]) * UNIT_MS[match[2]];
  } else if (typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (
      entries.length > 0 &&
      entries.every(
        ([unit, n]) =>
          unit.length > 1 &&
          UNIT_MS[unit] !== undefined &&
          typeof n === 'number' &&
          n >= 0,
      )
    ) {
      ms = entries.reduce(
        (sum, [unit, n]) => sum + UNIT_MS[unit] * (n as number),
        0,
      );
    }
  }
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(rule);
  return ms;
}

/**
 * Whether the live state is one an environment settles in: Synced and
 * Healthy, or Suspended (paused on purpose, so never "stuck").
 *
 * @public
 */
export function isSettled(live: Pick<LiveState, 'sync' | 'health'>): boolean {
  if (live.health === 'Suspended') return true;
  return live.sync === 'Synced' && live.health === 'Healthy';
}

/**
 * How long, in milliseconds, an unsettled environment has been in its
 * state (from `live.since`), or undefined when it is settled or the time is
 * not known.
 *
 * @public
 */
export function unsettledFor(
  live: Pick<LiveState, 'sync' | 'health' | 'since'> | undefined,
  now: number,
): number | undefined {
  if (!live || isSettled(live) || !live.since) return undefined;
  const since = Date.parse(live.since);
  if (!Number.isFinite(since)) return undefined;
  return Math.max(0, now - since);
}

/**
 * How long an environment has been stuck: the time it has not been Synced
 * and Healthy, when that is longer than `stuckAfterMs`; else undefined.
 *
 * @public
 */
export function stuckFor(
  live: Pick<LiveState, 'sync' | 'health' | 'since'> | undefined,
  now: number,
  stuckAfterMs: number = DEFAULT_STUCK_AFTER_MS,
): number | undefined {
  const duration = unsettledFor(live, now);
  return duration !== undefined && duration > stuckAfterMs
    ? duration
    : undefined;
}

/**
 * A duration in the largest whole unit: `2 days`, `1 hour`, `12 minutes`,
 * `less than a minute`.
 *
 * @public
 */
export function formatDuration(ms: number): string {
  const units: Array<[number, string]> = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ];
  for (const [size, unit] of units) {
    if (ms >= size) {
      const n = Math.floor(ms / size);
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return 'less than a minute';
}

/**
 * The first reason, cut at a word to at most `maxLength` characters with an
 * ellipsis, for the card and the team page; undefined when there is none.
 *
 * @public
 */
export function shortReason(
  reasons: StatusReason[] | undefined,
  maxLength = 120,
): string | undefined {
  const message = reasons?.[0]?.message;
  if (!message) return undefined;
  if (message.length <= maxLength) return message;
  const cut = message.slice(0, maxLength - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxLength / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
