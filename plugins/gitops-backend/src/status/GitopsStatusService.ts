import type {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityEnvironmentsResponse,
  EnvironmentStatus,
  EnvironmentsQueryView,
  GITOPS_PATH_ANNOTATION,
  getGitopsPath,
  gitopsEnvironmentsReadPermission,
} from '@goldenpath/plugin-gitops-common';
import {
  GitopsLiveStateProvider,
  PlatformProfile,
  matchesLabelSelector,
  parseLabelSelector,
} from '@goldenpath/plugin-gitops-node';
import type { DesiredStateIndex } from '../desired/DesiredStateIndex';
import type { Snapshot, SnapshotCache } from '../snapshot/SnapshotCache';
import {
  buildEnvironmentStatuses,
  MatchedLive,
} from './buildEnvironmentStatuses';

const ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
];

export const MISSING_ANNOTATION_REASON = `The entity has no ${GITOPS_PATH_ANNOTATION} annotation naming its folder in the GitOps repository.`;

/**
 * Answers status requests from the desired-state index and the live-state
 * snapshot, both in memory. Never calls a GitOps controller or Git host.
 */
export class GitopsStatusService {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      permissions: PermissionsService;
      desired: DesiredStateIndex;
      profile: PlatformProfile;
      providers: GitopsLiveStateProvider[];
      snapshot: SnapshotCache;
      logger: LoggerService;
    },
  ) {}

  async getEntityEnvironments(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityEnvironmentsResponse> {
    const ref = stringifyEntityRef(parseEntityRef(entityRef));
    const entity = await this.options.catalog.getEntityByRef(ref, {
      credentials,
    });
    if (!entity) throw new NotFoundError(`No entity ${ref}`);
    const [decision] = await this.options.permissions.authorize(
      [{ permission: gitopsEnvironmentsReadPermission, resourceRef: ref }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to read the GitOps environments of ${ref}`,
      );
    }
    return this.statusOf(entity, ref, this.options.snapshot.get());
  }

  async queryEnvironments(
    entityRefs: string[],
    credentials: BackstageCredentials,
    options: { view?: EnvironmentsQueryView } = {},
  ) {
    const summary = options.view === 'summary';
    const refs = entityRefs.map(r => stringifyEntityRef(parseEntityRef(r)));
    const [{ items }, decisions] = await Promise.all([
      this.options.catalog.getEntitiesByRefs(
        { entityRefs: refs, fields: ENTITY_FIELDS },
        { credentials },
      ),
      this.options.permissions.authorize(
        refs.map(resourceRef => ({
          permission: gitopsEnvironmentsReadPermission,
          resourceRef,
        })),
        { credentials },
      ),
    ]);
    // One snapshot for the whole answer, so every item sees the same state.
    const snapshot = this.options.snapshot.get();
    snapshot.catch(() => {}); // awaited by each item that has an entity
    return {
      items: await Promise.all(
        refs.map(async (ref, i) => {
          const entity = items[i];
          if (!entity) {
            return {
              entityRef: ref,
              environments: [],
              error: { message: `No entity ${ref}` },
            };
          }
          if (decisions[i].result !== AuthorizeResult.ALLOW) {
            return {
              entityRef: ref,
              environments: [],
              error: { message: 'Not allowed' },
            };
          }
          const answer = await this.statusOf(entity, ref, snapshot);
          return summary
            ? {
                ...answer,
                environments: answer.environments.map(summarizeEnvironment),
              }
            : answer;
        }),
      ),
    };
  }

  private async statusOf(
    entity: Entity,
    entityRef: string,
    snapshotPromise: Promise<Snapshot>,
  ): Promise<EntityEnvironmentsResponse> {
    const path = getGitopsPath(entity);
    if (!path) {
      return { entityRef, environments: [], reason: MISSING_ANNOTATION_REASON };
    }
    const [desiredResult, snapshot] = await Promise.all([
      this.options.desired.get(path).then(
        value => ({ value, error: undefined }),
        (e: Error) => ({ value: undefined, error: `Git: ${e.message}` }),
      ),
      snapshotPromise,
    ]);

    const selectors = new Map(
      this.options.providers.map(p => [
        p.id,
        safeSelector(p.selectorFor(entity)),
      ]),
    );
    const live: MatchedLive[] = [];
    const failingProviders: Record<string, string[]> = {};
    for (const provider of this.options.providers) {
      const state = snapshot.providers.get(provider.id);
      if (state && !state.ok) {
        (failingProviders[provider.controller] ??= []).push(
          `${provider.displayName}: ${state.error ?? 'poll failed'}`,
        );
      }
    }
    for (const provider of this.options.providers) {
      const selector = selectors.get(provider.id);
      if (!selector) continue;
      const state = snapshot.providers.get(provider.id);
      // Narrow to the rows carrying one of the selector's `key=value` labels.
      const equality = selector.find(r => r.op === '=');
      const candidates =
        (equality && equality.op === '='
          ? snapshot.byLabel
              .get(provider.id)
              ?.get(`${equality.key}=${equality.value}`)
          : snapshot.byProvider.get(provider.id)) ?? [];
      for (const row of candidates) {
        if (!matchesLabelSelector(row.resource.labels, selector)) continue;
        live.push({
          resource: row.resource,
          controller: provider.controller,
          providerName: provider.displayName,
          since: row.since,
          ...(state && !state.ok
            ? {
                providerError: {
                  message: state.error ?? 'poll failed',
                  since: state.failingSince,
                },
              }
            : {}),
        });
      }
    }

    const environments: EnvironmentStatus[] = buildEnvironmentStatuses({
      profileEnvironments: this.options.profile.environments,
      desired: desiredResult.value,
      desiredError: desiredResult.error,
      live,
      failingProviders,
      selectorDescription:
        [
          ...new Set([...selectors.values()].filter(Boolean).map(s => s!.text)),
        ].join(' or ') || undefined,
    });
    return { entityRef, environments };
  }
}

/** What a list of many components shows of an environment. */
function summarizeEnvironment(env: EnvironmentStatus): EnvironmentStatus {
  return {
    name: env.name,
    controller: env.controller,
    drift: env.drift,
    ...(env.desired ? { desired: env.desired } : {}),
    ...(env.live
      ? {
          live: {
            images: env.live.images,
            sync: env.live.sync,
            health: env.live.health,
            ...(env.live.stale ? { stale: true } : {}),
          },
        }
      : {}),
    ...(env.error ? { error: env.error } : {}),
  };
}

function safeSelector(text: string | undefined) {
  if (!text) return undefined;
  try {
    const parsed = parseLabelSelector(text);
    return Object.assign(parsed, { text });
  } catch {
    return undefined;
  }
}
