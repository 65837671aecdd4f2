import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EnvironmentStatus,
  EnvironmentsQueryResponse,
  unsettledFor,
} from '@goldenpath/plugin-gitops-common';
import { CombinedStatus, combinedStatus, isProblem } from '../viewModel';

// The team page's rows and filters: pure, tested on their own.

/** One component of the team page. */
export interface Row {
  entityRef: string;
  title: string;
  owner?: string;
  system?: string;
  environments: EnvironmentStatus[];
  byName: Record<string, EnvironmentStatus>;
  error?: string;
}

/** Owner filter values besides a group's ref. */
export const ALL = '__all__';
export const MINE = '__mine__';

export interface RowFilter {
  /** `MINE`, `ALL` or a group ref. */
  owner: string;
  /** `ALL` or a system ref. */
  system: string;
  onlyProblems: boolean;
  /** The signed-in user's ownership refs. */
  mine: string[];
}

const normalizeRef = (ref: string | undefined, kind: string) =>
  ref
    ? stringifyEntityRef(
        parseEntityRef(ref, { defaultKind: kind, defaultNamespace: 'default' }),
      )
    : undefined;

/** Joins the catalog's entities with the backend's answer, one row each. */
export function buildRows(
  entities: Entity[],
  statuses: EnvironmentsQueryResponse,
): Row[] {
  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  return statuses.items.map(item => {
    const entity = byRef.get(item.entityRef);
    return {
      entityRef: item.entityRef,
      title: entity?.metadata.title ?? entity?.metadata.name ?? item.entityRef,
      owner: normalizeRef(entity?.spec?.owner as string | undefined, 'group'),
      system: normalizeRef(
        entity?.spec?.system as string | undefined,
        'system',
      ),
      environments: item.environments,
      byName: Object.fromEntries(item.environments.map(e => [e.name, e])),
      error: item.error?.message ?? item.reason,
    };
  });
}

/** The distinct owners or systems of the rows, sorted, for the filters. */
export function distinct(rows: Row[], key: 'owner' | 'system'): string[] {
  return [
    ...new Set(rows.map(r => r[key]).filter((v): v is string => Boolean(v))),
  ].sort();
}

/** Whether the user's groups own any of the rows. */
export function ownsAny(rows: Row[], mine: string[]): boolean {
  return rows.some(r => r.owner !== undefined && mine.includes(r.owner));
}

/** "My groups" falls back to every owner when the user owns none of the rows. */
export function effectiveOwner(
  rows: Row[],
  owner: string,
  mine: string[],
): string {
  return owner === MINE && !ownsAny(rows, mine) ? ALL : owner;
}

/** The rows the filters keep. */
export function filterRows(rows: Row[], filter: RowFilter): Row[] {
  const owner = effectiveOwner(rows, filter.owner, filter.mine);
  return rows.filter(r => {
    if (owner === MINE && !(r.owner && filter.mine.includes(r.owner)))
      return false;
    if (owner !== MINE && owner !== ALL && r.owner !== owner) return false;
    if (filter.system !== ALL && r.system !== filter.system) return false;
    if (filter.onlyProblems && !(r.error || r.environments.some(isProblem)))
      return false;
    return true;
  });
}

const SEVERITY: Record<CombinedStatus, number> = {
  error: 0,
  warning: 1,
  pending: 2,
  ok: 3,
};

/**
 * Sorts an environment column worst first, and within a severity the
 * longest-lasting first; rows without it last.
 */
export function compareBySeverity(environment: string, now = Date.now()) {
  const rank = (row: Row) => {
    const env = row.byName[environment];
    return env ? SEVERITY[combinedStatus(env)] : 4;
  };
  const lasted = (row: Row) =>
    unsettledFor(row.byName[environment]?.live, now) ?? 0;
  return (a: Row, b: Row) => rank(a) - rank(b) || lasted(b) - lasted(a);
}

/** How the team page orders its rows. */
export type RowOrder = 'name' | 'longestProblem';

/**
 * How long the row's longest-lasting problem has lasted: the longest time
 * one of its environments has not been Synced and Healthy (0 when none).
 */
export function longestProblem(row: Row, now: number): number {
  return Math.max(
    0,
    ...row.environments.map(e => unsettledFor(e.live, now) ?? 0),
  );
}

/** The rows in the chosen order: by name, or longest-lasting problem first. */
export function sortRows(rows: Row[], order: RowOrder, now: number): Row[] {
  const byName = (a: Row, b: Row) => a.title.localeCompare(b.title);
  if (order === 'name') return [...rows].sort(byName);
  return rows
    .map(row => ({ row, lasted: longestProblem(row, now) }))
    .sort((a, b) => b.lasted - a.lasted || byName(a.row, b.row))
    .map(({ row }) => row);
}
