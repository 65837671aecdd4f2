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
