import type { PermissionsService } from '@backstage/backend-plugin-api';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  GITOPS_PATH_ANNOTATION,
  checkGitopsPathAnnotation,
  checkImageTagOrDigest,
  checkTargetEnvironment,
  gitopsEnvironmentPromotePermission,
  parseImageRef,
} from '@goldenpath/plugin-gitops-common';
import {
  PlatformProfile,
  PromotionPlan,
  ServiceFolderSource,
  planPromotion,
  renderPromotedOverlay,
  setOverlayImage,
} from '@goldenpath/plugin-gitops-node';
import { createTwoFilesPatch } from 'diff';
import fs from 'fs-extra';
import type { GitopsStatusReader } from '../status/GitopsStatusClient';
import { examples } from './environmentPromote.examples';

const MAX_REASON = 1000;

function entityRefOf(value: string): CompoundEntityRef {
  try {
    return parseEntityRef(value, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
  } catch (e) {
    throw new InputError(
      `entityRef must be an entity reference such as component:default/my-service (${
        (e as Error).message
      })`,
    );
  }
}

function stringifyRef(ref: CompoundEntityRef) {
  return `${ref.kind.toLocaleLowerCase('en-US')}:${ref.namespace}/${ref.name}`;
}

/** The commit message: what, where, from where, why and by whom. */
export function promotionCommitMessage(options: {
  service: string;
  plan: PromotionPlan;
  initiator?: string;
  reason?: string;
}): string {
  const { service, plan } = options;
  const title = plan.rollback
    ? `Roll back ${service} in ${plan.target} to ${plan.version}`
    : `Promote ${service} ${plan.version} to ${plan.target}${
        plan.source ? ` from ${plan.source}` : ''
      }`;
  return [
    title,
    '',
    `Environment: ${plan.target}`,
    `Version: ${plan.previousVersion ?? '(none)'} -> ${plan.version}`,
    ...(plan.source ? [`Source: ${plan.source}`] : []),
    `Evidence: ${plan.evidence}`,
    `Requested by: ${options.initiator ?? 'unknown'}`,
    ...(options.reason ? [`Reason: ${options.reason}`] : []),
  ].join('\n');
}

/**
 * The pull request's body, for the production publishing variant: the
 * evidence (the source's state and since when), the diff and the reason,
 * so the reviewer needs nothing else.
 */
export function promotionPullRequestBody(options: {
  message: string;
  path: string;
  before: string;
  after: string;
}): string {
  const [title, , ...details] = options.message.split('\n');
  const lines = createTwoFilesPatch(
    `a/${options.path}`,
    `b/${options.path}`,
    options.before,
    options.after,
    undefined,
    undefined,
    { context: 3 },
  ).split('\n');
  // From the "---" header on: the "Index:" and "===" lines are not git's.
  const patch = lines
    .slice(lines.findIndex(l => l.startsWith('--- ')))
    .join('\n');
  return [
    `## ${title}`,
    '',
    // Backticks would end the quote or open a code block: a reason is text.
    ...details.map(line => `- ${line.replace(/`/g, "'")}`),
    '',
    '```diff',
    patch.trimEnd(),
    '```',
    '',
  ].join('\n');
}

/**
 * `gitops:environment:promote`: sets an environment's image version in its
 * overlay, from the previous environment (a promotion) or from the
 * environment's own history (a rollback), after the gate and the tag policy
 * hold. Writes the one changed file into the workspace; publishing is the
 * next step's (`gitops:repository:commit` or a pull request).
 *
 * @public
 */
export function createEnvironmentPromoteAction(options: {
  profile: PlatformProfile;
  catalog: CatalogService;
  permissions: PermissionsService;
  /** The GitOps backend's status API, read on behalf of the initiator. */
  status: GitopsStatusReader;
  /** Where the service folder is read from; none: the action says what is missing. */
  source?: ServiceFolderSource;
  /** The clock the gate's "since" is told against; tests fix it. */
  now?: () => Date;
}) {
  const { profile, catalog, permissions, source, status } = options;
  const envNames = profile.environments.map(e => e.name);

  return createTemplateAction({
    id: 'gitops:environment:promote',
    description:
      "Promotes a version to an environment, or rolls an environment back, by changing the image version in the environment's overlay kustomization.yaml. Without a version it promotes what the previous environment runs, once that is Synced and Healthy and runs what Git wants. Writes only the changed overlay into the workspace, at its path in the GitOps repository.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .describe(
              'The component to promote, e.g. component:default/inference-api; it needs a gitops/path annotation',
            ),
        targetEnvironment: z =>
          z
            .string()
            .describe(
              `The environment to change, one of the profile's: ${envNames.join(
                ', ',
              )}`,
            ),
        version: z =>
          z
            .string()
            .optional()
            .describe(
              'An image tag or sha256: digest. Omit to promote what the previous environment runs; give one the target ran before to roll back',
            ),
        reason: z =>
          z
            .string()
            .optional()
            .describe(
              `Why, for the commit message and the pull request (at most ${MAX_REASON} characters)`,
            ),
      },
      output: {
        path: z =>
          z
            .string()
            .describe(
              'The changed file, relative to the GitOps repository root (apps/<service>/overlays/<environment>/kustomization.yaml)',
            ),
        environment: z => z.string().describe('The environment changed'),
        previousVersion: z =>
          z
            .string()
            .optional()
            .describe('The version the environment wanted before'),
        version: z => z.string().describe('The version it wants now'),
        sourceEnvironment: z =>
          z
            .string()
            .optional()
            .describe(
              'The environment the version came from; none for a rollback',
            ),
        rollback: z =>
          z.boolean().describe('Whether the change is a rollback by history'),
        evidence: z =>
          z.string().describe('Why the version may go there, in one sentence'),
        commitMessage: z =>
          z
            .string()
            .describe(
              'Commit message with the source environment, the initiator and the reason',
            ),
        pullRequestBody: z =>
          z
            .string()
            .describe(
              "Markdown for a pull request (publish:github:pull-request): the evidence, the overlay's diff and the reason",
            ),
        expectedBlob: z =>
          z
            .string()
            .optional()
            .describe(
              "The overlay's blob id as read (local repository): a commit refuses if it changed since",
            ),
      },
    },
    async handler(ctx) {
      const { targetEnvironment, version } = ctx.input;
      const ref = entityRefOf(ctx.input.entityRef);
      const entityRef = stringifyRef(ref);
      const unknown = checkTargetEnvironment(
        profile.environments,
        targetEnvironment,
      );
      if (unknown) throw new InputError(unknown);
      if (version !== undefined) {
        const problem = checkImageTagOrDigest(version);
        if (problem) throw new InputError(`version ${problem}`);
      }
      const reason = ctx.input.reason?.trim() || undefined;
      if (reason && reason.length > MAX_REASON) {
        throw new InputError(`reason must be at most ${MAX_REASON} characters`);
      }
      // Tabs and newlines are fine in a commit message; other controls are not.
      // eslint-disable-next-line no-control-regex
      if (reason && /[\u0000-\u0008\u000b-\u001f\u007f]/.test(reason)) {
        throw new InputError('reason must not contain control characters');
      }

      const credentials = await ctx.getInitiatorCredentials();
      const [decision] = await permissions.authorize(
        [
          {
            permission: gitopsEnvironmentPromotePermission,
            resourceRef: entityRef,
          },
        ],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `You may not promote ${entityRef} (gitops.environment.promote)`,
        );
      }

      const entity = await catalog.getEntityByRef(entityRef, { credentials });
      if (!entity) {
        throw new InputError(`entityRef ${entityRef} is not in the catalog`);
      }
      const servicePath = entity.metadata.annotations?.[
        GITOPS_PATH_ANNOTATION
      ]?.replace(/\/+$/, '');
      if (!servicePath) {
        throw new InputError(
          `entityRef ${entityRef} has no ${GITOPS_PATH_ANNOTATION} annotation`,
        );
      }
      const pathProblem = checkGitopsPathAnnotation(servicePath, {
        appsPath: profile.repository.appsPath,
      });
      if (pathProblem) {
        throw new InputError(
          `entityRef ${entityRef} has a ${GITOPS_PATH_ANNOTATION} that ${pathProblem}`,
        );
      }
      if (!source) {
        throw new InputError(
          'gitops:environment:promote needs gitops.repository.localPath or gitops.repository.url in app-config',
        );
      }

      const current = await status.environments(ref, credentials);
      if (current.environments.length === 0) {
        throw new ConflictError(
          `${entityRef} has no GitOps environments${
            current.reason ? `: ${current.reason}` : ''
          }`,
        );
      }
      const history =
        version === undefined
          ? []
          : (
              await status.history(ref, targetEnvironment, credentials)
            ).items.map(i => i.version);
      const plan = planPromotion({
        environments: profile.environments,
        statuses: current.environments,
        targetEnvironment,
        version,
        targetHistory: history,
        now: options.now?.(),
      });

      const target = current.environments.find(e => e.name === plan.target);
      const image = target?.desired?.image;
      if (!image) {
        throw new ConflictError(
          `${plan.target} names no image of ${entityRef} in Git; there is nothing to set`,
        );
      }
      const folder = await source.readFolder(servicePath);
      const overlayFile = ['yaml', 'yml']
        .map(ext => `overlays/${plan.target}/kustomization.${ext}`)
        .find(f => folder?.files.has(f));
      if (!folder || !overlayFile) {
        throw new ConflictError(
          `${servicePath}/overlays/${plan.target}/kustomization.yaml is not in the GitOps repository`,
        );
      }
      const before = Buffer.from(folder.files.get(overlayFile)!).toString(
        'utf8',
      );
      const edit = setOverlayImage(before, {
        name: image,
        version: plan.version,
      });
      if (edit.previousVersion === plan.version) {
        // The status index may lag a commit that just landed.
        throw new ConflictError(`${plan.target} already wants ${plan.version}`);
      }
      const render = await renderPromotedOverlay({
        files: folder.files,
        environment: plan.target,
        kustomization: edit.content,
        image: parseImageRef(image).repository,
        version: plan.version,
        kubectl: profile.kubectl,
      });

      const path = `${servicePath}/${overlayFile}`;
      await fs.outputFile(
        resolveSafeChildPath(ctx.workspacePath, path),
        edit.content,
      );
      const previousVersion = edit.previousVersion ?? plan.previousVersion;
      const message = promotionCommitMessage({
        service: entity.metadata.name,
        plan: { ...plan, previousVersion },
        initiator: ctx.user?.ref,
        reason,
      });
      ctx.logger.info(
        `${message.split('\n')[0]}${
          render.rendered
            ? ` (rendered ${render.objectCount} objects)`
            : ` (not rendered: ${render.reason})`
        }${ctx.isDryRun ? ' [dry run]' : ''}`,
      );

      ctx.output('path', path);
      ctx.output('environment', plan.target);
      if (previousVersion) ctx.output('previousVersion', previousVersion);
      ctx.output('version', plan.version);
      if (plan.source) ctx.output('sourceEnvironment', plan.source);
      ctx.output('rollback', plan.rollback);
      ctx.output('evidence', plan.evidence);
      ctx.output('commitMessage', message);
      ctx.output(
        'pullRequestBody',
        promotionPullRequestBody({
          message,
          path,
          before,
          after: edit.content,
        }),
      );
      const blob = folder.blobs?.get(overlayFile);
      if (blob) ctx.output('expectedBlob', blob);
    },
  });
}
