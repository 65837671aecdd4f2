import {
  DesiredImage,
  EnvironmentStatus,
  GITOPS_ENVIRONMENT_LABEL,
  GitopsControllerId,
  parseImageRef,
} from '@goldenpath/plugin-gitops-common';
import type {
  DesiredServiceState,
  LiveResource,
} from '@goldenpath/plugin-gitops-node';

/** A live resource matched to the entity, with its provider's condition. */
export interface MatchedLive {
  resource: LiveResource;
  controller: GitopsControllerId;
  /** The provider's name for a controller other than Argo CD and Flux. */
  controllerName?: string;
  providerName: string;
  since: string;
  /** Set when the provider's last poll failed: the resource is last known state. */
  providerError?: { message: string; since?: string };
}

/** Whether a running image is the one Git wants. */
export function imageMatches(image: string, desired: DesiredImage): boolean {
  const ref = parseImageRef(image);
  if (desired.digest) return ref.digest === desired.digest;
  return (
    ref.repository === desired.image &&
    (ref.tag ?? 'latest') === (desired.tag ?? 'latest')
  );
}

// What each controller calls the object that deploys an environment.
const CONTROLLER_OBJECTS: Record<string, string> = {
  argocd: 'Argo CD Application',
  flux: 'Flux Kustomization',
};

/**
 * Which environment a live resource deploys: its `gitops/environment`
 * label, else a `-<env>` suffix of its name, else its destination namespace
 * matching the namespace Git gives an environment.
 */
export function environmentOf(
  resource: LiveResource,
  environments: string[],
  namespaces: Map<string, string>,
): string | undefined {
  const label = resource.labels[GITOPS_ENVIRONMENT_LABEL];
  if (label) return label;
  const bySuffix = [...environments]
    .sort((a, b) => b.length - a.length)
    .find(env => resource.name.endsWith(`-${env}`));
  if (bySuffix) return bySuffix;
  if (resource.targetNamespace) {
    for (const [env, ns] of namespaces) {
      if (ns === resource.targetNamespace) return env;
    }
  }
  return undefined;
}

/**
 * Combines what Git wants with what the controllers report, one entry per
 * environment: the profile's environments first, in promotion order, then
 * any other environment found in Git or in a controller. Pure.
 */
export function buildEnvironmentStatuses(options: {
  profileEnvironments: Array<{ name: string; cluster?: string }>;
  desired?: DesiredServiceState;
  desiredError?: string;
  live: MatchedLive[];
  /** How the entity's resources are looked for, by controller, for "not found" errors (or what gives them). */
  selectorDescriptions?:
    | Partial<Record<string, string>>
    | (() => Partial<Record<string, string>>);
  /** Errors of failing providers, by controller, for environments they report nothing for. */
  failingProviders?: Partial<Record<string, string[]>>;
  /** Set when the desired state is the last good read: marks `desired.stale`, and says why. */
  desiredStaleReason?: string;
  /** Set when the live state is the last copy loaded: marks `live.stale`, and says why. */
  liveStaleReason?: string;
}): EnvironmentStatus[] {
  const { profileEnvironments, desired, desiredError, live } = options;
  let descriptions =
    typeof options.selectorDescriptions === 'function'
      ? undefined
      : options.selectorDescriptions;
  const selectorDescription = (controller: string) => {
    if (typeof options.selectorDescriptions === 'function') {
      descriptions ??= options.selectorDescriptions();
    }
    return descriptions?.[controller];
  };
  const desiredByEnv = new Map(
    (desired?.environments ?? []).map(e => [e.name, e]),
  );
  const namespaces = new Map<string, string>();
  for (const e of desired?.environments ?? []) {
    if (e.namespace) namespaces.set(e.name, e.namespace);
  }
  const known = [
    ...profileEnvironments.map(e => e.name),
    ...[...desiredByEnv.keys()]
      .filter(n => !profileEnvironments.some(p => p.name === n))
      .sort(),
  ];

  const liveByEnv = new Map<string, MatchedLive[]>();
  for (const m of live) {
    const env = environmentOf(m.resource, known, namespaces);
    if (!env) continue;
    liveByEnv.set(env, [...(liveByEnv.get(env) ?? []), m]);
  }
  const names = [
    ...known.filter(n => desiredByEnv.has(n) || liveByEnv.has(n)),
    ...[...liveByEnv.keys()].filter(n => !known.includes(n)).sort(),
  ];
  // Git could not be read and no controller reports anything: show the
  // profile's environments with the reason rather than an empty list.
  if (names.length === 0 && desiredError) {
    names.push(...profileEnvironments.map(p => p.name));
  }

  return names.map(name => {
    const want = desiredByEnv.get(name);
    // A healthy provider's answer wins over a stale one for the same environment.
    const candidates = liveByEnv.get(name) ?? [];
    const match = candidates.find(c => !c.providerError) ?? candidates[0];
    const controller: GitopsControllerId =
      want?.controller && want.controller !== 'none'
        ? want.controller
        : match?.controller ?? want?.controller ?? 'none';
    const status: EnvironmentStatus = {
      name,
      namespace: want?.namespace ?? match?.resource.targetNamespace,
      // The platform's name for the cluster reads better than Argo CD's
      // destination URL; the controller's is the fallback.
      cluster:
        profileEnvironments.find(p => p.name === name)?.cluster ??
        match?.resource.cluster,
      controller,
      ...(match?.controllerName && match.controller === controller
        ? { controllerName: match.controllerName }
        : {}),
      drift: false,
    };
    if (want?.desired) {
      status.desired = options.desiredStaleReason
        ? { ...want.desired, stale: true }
        : want.desired;
    }
    if (match) {
      const r = match.resource;
      status.live = {
        images: r.images,
        sync: r.sync,
        health: r.health,
        since: match.since,
        ...(r.revision ? { revision: r.revision } : {}),
        ...(r.lastSyncedAt ? { lastSyncedAt: r.lastSyncedAt } : {}),
        ...(r.url ? { url: r.url } : {}),
        ...(match.providerError ? { stale: true } : {}),
        ...(r.reasons?.length ? { reasons: r.reasons } : {}),
      };
      status.drift = Boolean(
        want?.desired &&
          r.images.length > 0 &&
          !r.images.some(i => imageMatches(i, want.desired!)),
      );
    }

    const errors: string[] = [];
    if (desiredError) errors.push(desiredError);
    if (status.desired && options.desiredStaleReason) {
      errors.push(options.desiredStaleReason);
    }
    if (want?.error) errors.push(want.error);
    if (match?.providerError) {
      errors.push(
        `${match.providerName}: ${match.providerError.message}; showing the last known state`,
      );
    } else if (!match && options.failingProviders?.[controller]?.length) {
      status.live = {
        images: [],
        sync: 'Unknown',
        health: 'Unknown',
        stale: true,
      };
      errors.push(...options.failingProviders[controller]!);
    } else if (!match && controller !== 'none' && want) {
      errors.push(
        `No ${
          CONTROLLER_OBJECTS[controller] ??
          `${status.controllerName ?? controller} resource`
        } found for this environment${
          selectorDescription(controller)
            ? ` (${selectorDescription(controller)})`
            : ''
        }`,
      );
    }
    if (status.live && options.liveStaleReason) {
      status.live.stale = true;
      errors.push(options.liveStaleReason);
    }
    if (errors.length > 0) status.error = { message: errors.join('; ') };
    return status;
  });
}
