import { imageVersion, parseImageRef } from './imageRefs';
import { isImmutableImageRef } from './names';
import type { EnvironmentStatus, TagPolicy } from './types';

/** An environment of the profile, as the promotion rules need it. @public */
export interface PromotionEnvironment {
  name: string;
  tagPolicy: TagPolicy;
}

/**
 * The promotion gate's answer for one target environment: what would move,
 * and either the evidence that it may, or the reason it may not.
 *
 * @public
 */
export interface PromotionGate {
  target: string;
  /** The previous environment in promotion order; absent for the first. */
  source?: string;
  /** What the source runs, when that is known. */
  version?: string;
  /** What the target wants now. */
  previousVersion?: string;
  /** Why the version may go there, in one sentence (set when allowed). */
  evidence?: string;
  /** Why it may not, in one sentence naming the field or the state (set when refused). */
  reason?: string;
  /** `input` for a request that can never pass, `conflict` for a state that may change. */
  refusal?: 'input' | 'conflict';
}

/** The version an environment's Git overlay wants, if it names one. @public */
export function desiredVersion(env: EnvironmentStatus): string | undefined {
  const d = env.desired;
  return d ? d.digest ?? d.tag : undefined;
}

/**
 * The version an environment runs: that of its running image with the
 * repository Git wants (the first image when Git names none).
 *
 * @public
 */
export function runningVersion(env: EnvironmentStatus): string | undefined {
  const images = env.live?.images ?? [];
  const own = env.desired
    ? images.find(i => parseImageRef(i).repository === env.desired!.image)
    : images[0];
  return own ? imageVersion(own) : undefined;
}

/**
 * `10:42 UTC` today, `2026-11-20 10:42 UTC` on another day.
 *
 * @public
 */
export function formatSince(since: string, now: Date): string {
  const at = new Date(since);
  if (Number.isNaN(at.getTime())) return since;
  const iso = at.toISOString();
  const time = `${iso.slice(11, 16)} UTC`;
  return iso.slice(0, 10) === now.toISOString().slice(0, 10)
    ? time
    : `${iso.slice(0, 10)} ${time}`;
}

function sourceProblem(
  env: EnvironmentStatus | undefined,
  name: string,
  now: Date,
): string | undefined {
  if (!env) return `${name} has no status`;
  if (env.error) return `${name} has no status: ${env.error.message}`;
  const live = env.live;
  if (!live) return `${name} has no live state from its controller`;
  if (live.stale) {
    return `${name}'s live state is stale (its controller did not answer the last poll)`;
  }
  if (live.sync !== 'Synced' || live.health !== 'Healthy') {
    const since = live.since ? ` since ${formatSince(live.since, now)}` : '';
    return `${name} is ${live.sync} / ${live.health}${since}`;
  }
  const wants = desiredVersion(env);
  const runs = runningVersion(env);
  if (!runs) return `${name} runs no image of its service`;
  if (env.drift || (wants && wants !== runs)) {
    return `${name} runs ${runs} while Git wants ${wants ?? 'another version'}`;
  }
  return undefined;
}

/**
 * What keeps a version out of a target whatever its source: the target's
 * tag policy, and the target wanting it already.
 *
 * @public
 */
export function promotionTargetProblem(
  target: PromotionEnvironment,
  version: string,
  previousVersion: string | undefined,
): Pick<PromotionGate, 'reason' | 'refusal'> | undefined {
  if (target.tagPolicy === 'immutable' && !isImmutableImageRef(version)) {
    return {
      reason: `version ${version} is a moving tag; ${target.name} has an immutable tag policy and takes only semantic versions, commit SHAs or digests`,
      refusal: 'input',
    };
  }
  if (previousVersion === version) {
    return {
      reason: `${target.name} already wants ${version}`,
      refusal: 'conflict',
    };
  }
  return undefined;
}

/**
 * Why `name` is not an environment of the profile, naming
 * `targetEnvironment`; undefined when it is one.
 *
 * @public
 */
export function checkTargetEnvironment(
  environments: Array<{ name: string }>,
  name: string,
): string | undefined {
  return environments.some(e => e.name === name)
    ? undefined
    : `targetEnvironment must be one of the profile's environments (${environments
        .map(e => e.name)
        .join(', ')}), got ${JSON.stringify(name)}`;
}

/**
 * The promotion gate, pure, shared by the UI (to offer or disable "Promote")
 * and the `gitops:environment:promote` action (to refuse), so both say the
 * same: the previous environment in promotion order must be Synced and
 * Healthy and run what Git wants; its version must suit the target's tag
 * policy, and the target must not want it already.
 *
 * @public
 */
export function promotionGate(options: {
  environments: PromotionEnvironment[];
  statuses: EnvironmentStatus[];
  targetEnvironment: string;
  now?: Date;
}): PromotionGate {
  const { environments, statuses, targetEnvironment } = options;
  const now = options.now ?? new Date();
  const index = environments.findIndex(e => e.name === targetEnvironment);
  if (index < 0) {
    return {
      target: targetEnvironment,
      reason: checkTargetEnvironment(environments, targetEnvironment)!,
      refusal: 'input',
    };
  }
  const target = environments[index];
  const statusOf = (name: string) => statuses.find(s => s.name === name);
  const targetStatus = statusOf(target.name);
  const previousVersion = targetStatus && desiredVersion(targetStatus);
  const base: PromotionGate = previousVersion
    ? { target: target.name, previousVersion }
    : { target: target.name };
  if (index === 0) {
    return {
      ...base,
      reason: `targetEnvironment ${target.name} is the first environment; there is nothing to promote from (give a version to roll back)`,
      refusal: 'input',
    };
  }
  const source = environments[index - 1].name;
  const sourceStatus = statusOf(source);
  const runs = sourceStatus && runningVersion(sourceStatus);
  const withSource = runs
    ? { ...base, source, version: runs }
    : { ...base, source };
  const problem = sourceProblem(sourceStatus, source, now);
  if (problem) {
    return {
      ...withSource,
      reason: `${problem}; promoting to ${target.name} needs ${source} Synced and Healthy, running what Git wants`,
      refusal: 'conflict',
    };
  }
  const targetProblem = promotionTargetProblem(target, runs!, previousVersion);
  if (targetProblem) return { ...withSource, ...targetProblem };
  const since = sourceStatus!.live!.since;
  return {
    ...withSource,
    evidence: `${source} runs ${runs}, Synced and Healthy${
      since ? ` since ${formatSince(since, now)}` : ''
    }`,
  };
}
