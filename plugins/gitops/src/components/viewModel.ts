import {
  DesiredImage,
  EnvironmentStatus,
  imageVersion,
  parseImageRef,
  shortVersion,
} from '@goldenpath/plugin-gitops-common';

// Status -> view model: pure functions the components render, tested on
// their own.

const CONTROLLER_NAMES: Record<string, string> = {
  argocd: 'Argo CD',
  flux: 'Flux',
  none: 'None',
};

/**
 * The controller as people call it: Argo CD, Flux, None, or a third
 * provider's own name for its controller (else its id), never "Flux" for a
 * controller that is not.
 */
export function controllerLabel(env: EnvironmentStatus): string {
  return (
    CONTROLLER_NAMES[env.controller] ?? env.controllerName ?? env.controller
  );
}

/** The tag or short digest Git wants, for display. */
export function desiredLabel(desired?: DesiredImage): string | undefined {
  if (!desired) return undefined;
  if (desired.digest) return `@${shortVersion(desired.digest)}`;
  return desired.tag ?? 'latest';
}

/** The tags (or short digests) of the running images, without repositories. */
export function liveLabels(env: EnvironmentStatus): string[] {
  return (env.live?.images ?? []).map(image => {
    const version = imageVersion(image);
    return version.startsWith('sha256:')
      ? `@${shortVersion(version)}`
      : version;
  });
}

/**
 * An image as the tables show it: `label` is the tag or `@digest` without
 * the repository (whole; the view truncates it), `full` the reference to
 * copy and show on hover.
 */
export interface ImageValue {
  label: string;
  full: string;
}

/** The image Git wants, for the tables. */
export function desiredValue(desired?: DesiredImage): ImageValue | undefined {
  if (!desired) return undefined;
  if (desired.digest)
    return {
      label: `@${desired.digest}`,
      full: `${desired.image}@${desired.digest}`,
    };
  const tag = desired.tag ?? 'latest';
  return { label: tag, full: `${desired.image}:${tag}` };
}

/** The running images, for the tables. */
export function liveValues(env: EnvironmentStatus): ImageValue[] {
  return (env.live?.images ?? []).map(image => {
    const ref = parseImageRef(image);
    return {
      label: ref.digest ? `@${ref.digest}` : imageVersion(ref),
      full: image,
    };
  });
}

/** A Git SHA shortened as Git does; other revisions (Flux's `main@sha1:...`) too. */
export function shortRevision(revision?: string): string | undefined {
  if (!revision) return undefined;
  const sha = /([0-9a-f]{40})$/.exec(revision)?.[1];
  if (!sha) return revision;
  return revision.length === 40
    ? sha.slice(0, 7)
    : revision.replace(sha, sha.slice(0, 7));
}

/** What is waiting to roll out, for the drift tooltip. */
export function driftExplanation(env: EnvironmentStatus): string | undefined {
  if (!env.drift) return undefined;
  const live = liveLabels(env).join(', ') || 'nothing';
  return `Git wants ${desiredLabel(env.desired)}, ${
    env.name
  } runs ${live}: the change is waiting to roll out (or the environment was changed by hand).`;
}

export type CombinedStatus = 'ok' | 'warning' | 'error' | 'pending';

/** One status for an environment, worst first: for the card and the team page. */
export function combinedStatus(env: EnvironmentStatus): CombinedStatus {
  const live = env.live;
  if (env.error || live?.stale) return 'error';
  if (!live) return 'pending';
  if (live.health === 'Degraded' || live.health === 'Missing') return 'error';
  if (live.sync === 'OutOfSync' || live.health === 'Suspended' || env.drift)
    return 'warning';
  if (
    live.health === 'Progressing' ||
    live.health === 'Unknown' ||
    live.sync === 'Unknown'
  )
    return 'pending';
  return 'ok';
}

/** Whether the team page's "only problems" filter keeps the environment. */
export function isProblem(env: EnvironmentStatus): boolean {
  const s = combinedStatus(env);
  return s === 'error' || s === 'warning';
}

export interface StatusSummary {
  components: number;
  outOfSync: number;
  degraded: number;
  drifting: number;
  errors: number;
}

/** Counts for the team page's summary. */
export function summarize(
  rows: Array<{ environments: EnvironmentStatus[] }>,
): StatusSummary {
  const all = rows.flatMap(r => r.environments);
  return {
    components: rows.length,
    outOfSync: all.filter(e => e.live?.sync === 'OutOfSync').length,
    degraded: all.filter(
      e => e.live?.health === 'Degraded' || e.live?.health === 'Missing',
    ).length,
    drifting: all.filter(e => e.drift).length,
    errors: all.filter(e => e.error).length,
  };
}

/** "5 minutes ago"-style relative time, for "since" and "last synced". */
export function relativeTime(
  iso?: string,
  now: number = Date.now(),
): string | undefined {
  if (!iso) return undefined;
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return undefined;
  const seconds = Math.round((now - then) / 1000);
  const units: Array<[number, string]> = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, unit] of units) {
    if (Math.abs(seconds) >= size) {
      const n = Math.floor(Math.abs(seconds) / size);
      return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
    }
  }
  return 'just now';
}
