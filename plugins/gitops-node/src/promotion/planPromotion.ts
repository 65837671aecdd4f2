import { ConflictError, InputError } from '@backstage/errors';
import {
  EnvironmentStatus,
  PromotionEnvironment as CommonPromotionEnvironment,
  checkImageTagOrDigest,
  checkTargetEnvironment,
  desiredVersion,
  promotionGate,
  promotionTargetProblem,
  runningVersion,
} from '@goldenpath/plugin-gitops-common';

/** An environment of the profile, as the promotion rules need it. @public */
export type PromotionEnvironment = CommonPromotionEnvironment;

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

export { desiredVersion, runningVersion };

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
  const unknown = checkTargetEnvironment(environments, targetEnvironment);
  if (unknown) throw new InputError(unknown);
  const index = environments.findIndex(e => e.name === targetEnvironment);
  const target = environments[index];
  const source = index > 0 ? environments[index - 1] : undefined;
  const statusOf = (name: string) => statuses.find(s => s.name === name);
  const targetStatus = statusOf(target.name);
  const previousVersion = targetStatus && desiredVersion(targetStatus);

  if (version === undefined) {
    // The same gate the UI shows, so the refusal reads the same there.
    const gate = promotionGate({
      environments,
      statuses,
      targetEnvironment,
      now,
    });
    if (gate.reason) {
      throw gate.refusal === 'input'
        ? new InputError(gate.reason)
        : new ConflictError(gate.reason);
    }
    return {
      source: gate.source,
      target: gate.target,
      version: gate.version!,
      evidence: gate.evidence!,
      rollback: false,
      ...(gate.previousVersion
        ? { previousVersion: gate.previousVersion }
        : {}),
    };
  }

  const malformed = checkImageTagOrDigest(version);
  if (malformed) throw new InputError(`version ${malformed}`);
  const sourceStatus = source && statusOf(source.name);
  const ranBefore = (options.targetHistory ?? []).includes(version);
  const runsNow = targetStatus && runningVersion(targetStatus) === version;
  let plan: PromotionPlan;
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

  const problem = promotionTargetProblem(target, plan.version, previousVersion);
  if (problem) {
    throw problem.refusal === 'input'
      ? new InputError(problem.reason)
      : new ConflictError(problem.reason);
  }
  return previousVersion ? { ...plan, previousVersion } : plan;
}
