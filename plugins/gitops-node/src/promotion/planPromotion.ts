import { ConflictError, InputError } from '@backstage/errors';
import {
  EnvironmentStatus,
  TagPolicy,
  checkImageTagOrDigest,
  imageVersion,
  isImmutableImageRef,
  parseImageRef,
} from '@goldenpath/plugin-gitops-common';

/** An environment of the profile, as the promotion rules need it. @public */
export interface PromotionEnvironment {
  name: string;
  tagPolicy: TagPolicy;
}

/** What a promotion or rollback will do, once its rules have passed. @public */
export interface PromotionPlan {
  /** The environment the version comes from; none for a rollback by history. */
  source?: string;
  target: string;
  version: string;
  /** What the target wants before the change. */
  previousVersion?: string;
  /** Why the version may go there, in one sentence, for the commit and the PR. */
  evidence: string;
  rollback: boolean;
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

/** `10:42 UTC` today, `2026-11-20 10:42 UTC` on another day. */
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
 * The promotion rules, pure. Without a version: the previous environment in
 * promotion order must be Synced and Healthy and run what Git wants; its
 * version moves on. With a version: the previous environment runs it, or
 * the target runs or ran it (a rollback). Either way the target's tag policy
 * holds and the target does not want that version already. Throws an
 * InputError naming the field for bad input, a ConflictError for a state
 * that does not allow it.
 *
 * @public
 */
export function planPromotion(options: {
  environments: PromotionEnvironment[];
  statuses: EnvironmentStatus[];
  targetEnvironment: string;
  version?: string;
  /** Versions the target has run, newest first (the backend's history). */
  targetHistory?: string[];
  now?: Date;
}): PromotionPlan {
  const { environments, statuses, targetEnvironment, version } = options;
  const now = options.now ?? new Date();
  const index = environments.findIndex(e => e.name === targetEnvironment);
  if (index < 0) {
    throw new InputError(
      `targetEnvironment must be one of the profile's environments (${environments
        .map(e => e.name)
        .join(', ')}), got ${JSON.stringify(targetEnvironment)}`,
    );
  }
  const target = environments[index];
  const source = index > 0 ? environments[index - 1] : undefined;
  const statusOf = (name: string) => statuses.find(s => s.name === name);
  const targetStatus = statusOf(target.name);
  const previousVersion = targetStatus && desiredVersion(targetStatus);

  let plan: PromotionPlan;
  if (version === undefined) {
    if (!source) {
      throw new InputError(
        `targetEnvironment ${target.name} is the first environment; there is nothing to promote from (give a version to roll back)`,
      );
    }
    const problem = sourceProblem(statusOf(source.name), source.name, now);
    if (problem) {
      throw new ConflictError(
        `${problem}; promoting to ${target.name} needs ${source.name} Synced and Healthy, running what Git wants`,
      );
    }
    const runs = runningVersion(statusOf(source.name)!)!;
    plan = {
      source: source.name,
      target: target.name,
      version: runs,
      evidence: `${source.name} runs ${runs}, Synced and Healthy${
        statusOf(source.name)!.live!.since
          ? ` since ${formatSince(statusOf(source.name)!.live!.since!, now)}`
          : ''
      }`,
      rollback: false,
    };
  } else {
    const malformed = checkImageTagOrDigest(version);
    if (malformed) throw new InputError(`version ${malformed}`);
    const sourceStatus = source && statusOf(source.name);
    const ranBefore = (options.targetHistory ?? []).includes(version);
    const runsNow = targetStatus && runningVersion(targetStatus) === version;
    if (sourceStatus && runningVersion(sourceStatus) === version) {
      plan = {
        source: source!.name,
        target: target.name,
        version,
        evidence: `${source!.name} runs ${version}`,
        rollback: false,
      };
    } else if (runsNow || ranBefore) {
      plan = {
        target: target.name,
        version,
        evidence: `${target.name} ${runsNow ? 'runs' : 'ran'} ${version}`,
        rollback: true,
      };
    } else {
      throw new InputError(
        `version ${version} is not running in ${
          source
            ? `${source.name} (the previous environment)`
            : 'any environment before'
        } and ${
          target.name
        } has not run it; only a version that passed the previous environment, or one ${
          target.name
        } ran, can be set`,
      );
    }
  }

  if (target.tagPolicy === 'immutable' && !isImmutableImageRef(plan.version)) {
    throw new InputError(
      `version ${plan.version} is a moving tag; ${target.name} has an immutable tag policy and takes only semantic versions, commit SHAs or digests`,
    );
  }
  if (previousVersion === plan.version) {
    throw new ConflictError(`${target.name} already wants ${plan.version}`);
  }
  return previousVersion ? { ...plan, previousVersion } : plan;
}
