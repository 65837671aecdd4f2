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
  AnnotationProblem,
  EntityEnvironmentsResponse,
  EnvironmentStatus,
  EnvironmentsQueryView,
  ARGOCD_APP_SELECTOR_ANNOTATION,
  GITOPS_PATH_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
  getGitopsPath,
  gitopsEnvironmentsReadPermission,
  isSettled,
  shortReason,
  SnapshotAge,
} from '@goldenpath/plugin-gitops-common';
import {
  DesiredServiceState,
  GitopsLiveStateProvider,
  PlatformProfile,
  matchesLabelSelector,
  parseLabelSelector,
} from '@goldenpath/plugin-gitops-node';
import type { DesiredStateIndex } from '../desired/DesiredStateIndex';
import {
  resourcesWithLabel,
  type Snapshot,
  type SnapshotCache,
} from '../snapshot/SnapshotCache';
import {
  buildEnvironmentStatuses,
  environmentOf,
  MatchedLive,
} from './buildEnvironmentStatuses';
import {
  CHECKED_ANNOTATIONS,
  refusalReason,
  refusedAnnotations,
} from './entityAnnotations';

const ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
];

// Why a controller has no selector for an entity, for "not found" errors.
const MISSING_SELECTOR: Record<string, string> = {
  argocd: `the entity has no ${ARGOCD_APP_SELECTOR_ANNOTATION} annotation`,
  flux: `the entity has no ${KUBERNETES_ID_ANNOTATION} annotation`,
};

/** The live resources of one environment of an entity, and what Git wants there. */
export interface EnvironmentResources {
  /** Provider and key of each, the one the status shows first. */
  resources: Array<{ providerId: string; resourceKey: string }>;
  /** The image repository Git wants in the environment, when it is known. */
  desiredImage?: string;
  /** Why there are none: no `gitops/path`, or a refused annotation. */
  reason?: string;
  problems?: AnnotationProblem[];
}

export const MISSING_ANNOTATION_REASON = `The entity has no ${GITOPS_PATH_ANNOTATION} annotation naming its folder in the GitOps repository.`;

const NO_PROBLEMS: AnnotationProblem[] = [];

// Entries a memo of the service keeps before it starts over: more than a
// catalog's services, small next to the snapshot.
const MEMO_SIZE = 20_000;

function remember<K, V>(memo: Map<K, V>, key: K, value: V) {
  if (memo.size >= MEMO_SIZE) memo.clear();
  memo.set(key, value);
}

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
      /** When this backend started: polls before it are a stored snapshot's. */
      startedAt?: Date;
    },
  ) {
    this.startedAt = (options.startedAt ?? new Date()).getTime();
  }

  private readonly startedAt: number;
  private readonly refusals = new Map<string, AnnotationProblem[]>();
  private readonly selectors = new Map<
    string,
    ReturnType<typeof safeSelector>
  >();

  async getEntityEnvironments(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityEnvironmentsResponse> {
    const { entity, ref } = await this.readableEntity(entityRef, credentials);
    const [snapshot] = await Promise.all([
      this.options.snapshot.get(),
      this.options.desired.ready(),
    ]);
    return this.statusFrom(entity, ref, snapshot);
  }

  /**
   * The live resources of one environment of an entity, as the status join
   * matches them (the entity's selectors, then each resource's environment
   * by label, name suffix or namespace), the healthy provider's first; and
   * the image repository Git wants there. The same catalog, permission and
   * annotation checks as `getEntityEnvironments`: an entity whose
   * annotations are missing or refused gets the same `reason`/`problems`
   * and no resources.
   */
  async getEnvironmentResources(
    entityRef: string,
    environment: string,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentResources> {
    const { entity, ref } = await this.readableEntity(entityRef, credentials);
    const bounds = this.checkBounds(entity, ref);
    if ('refusal' in bounds) {
      const { reason, problems } = bounds.refusal;
      return { resources: [], reason, ...(problems ? { problems } : {}) };
    }
    const [desired, snapshot] = await Promise.all([
      this.options.desired.get(bounds.path).catch(() => undefined),
      this.options.snapshot.get(),
    ]);
    const profileNames = this.options.profile.environments.map(e => e.name);
    // The environments and namespaces buildEnvironmentStatuses resolves with.
    const known = [
      ...profileNames,
      ...(desired?.environments ?? [])
        .map(e => e.name)
        .filter(n => !profileNames.includes(n))
        .sort(),
    ];
    const namespaces = new Map<string, string>();
    for (const e of desired?.environments ?? []) {
      if (e.namespace) namespaces.set(e.name, e.namespace);
    }
    const matched = this.matchLive(entity, snapshot).live.filter(
      m => environmentOf(m.resource, known, namespaces) === environment,
    );
    return {
      resources: [
        ...matched.filter(m => !m.providerError),
        ...matched.filter(m => m.providerError),
      ].map(m => ({ providerId: m.providerId, resourceKey: m.resource.key })),
      desiredImage: desired?.environments.find(e => e.name === environment)
        ?.desired?.image,
    };
  }

  /** The entity, read on behalf of the caller, if they may read its environments. */
  private async readableEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<{ entity: Entity; ref: string }> {
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
    return { entity, ref };
  }

  /**
   * `refusedAnnotations` for the entity, remembered by the annotations'
   * values: a team view checks the same few hundred entities again and
   * again.
   */
  private refusalsOf(entity: Entity): AnnotationProblem[] {
    const annotations = entity.metadata.annotations ?? {};
    const key = CHECKED_ANNOTATIONS.map(a => annotations[a] ?? '\u0000').join(
      '\u0001',
    );
    let problems = this.refusals.get(key);
    if (!problems) {
      problems = refusedAnnotations(entity, {
        appsPath: this.options.profile.repository.appsPath,
      });
      remember(this.refusals, key, problems.length ? problems : NO_PROBLEMS);
    }
    return problems;
  }

  /**
   * The entity's service folder, or why nothing is read or matched for it:
   * no `gitops/path`, or an out-of-bounds annotation.
   */
  private checkBounds(
    entity: Entity,
    entityRef: string,
  ):
    | { path: string }
    | { refusal: Omit<EntityEnvironmentsResponse, 'environments'> } {
    const path = getGitopsPath(entity);
    if (!path) {
      return { refusal: { entityRef, reason: MISSING_ANNOTATION_REASON } };
    }
    // Out-of-bounds annotations are refused before any read or match.
    const problems = this.refusalsOf(entity);
    if (problems.length > 0) {
      return {
        refusal: {
          entityRef,
          reason: refusalReason(entity, problems),
          problems,
        },
      };
    }
    return { path };
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
    const [snapshot] = await Promise.all([
      this.options.snapshot.get(),
      this.options.desired.ready(),
    ]);
    return {
      items: refs.map((ref, i) => {
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
        const answer = this.statusFrom(entity, ref, snapshot);
        return summary
          ? {
              ...answer,
              environments: answer.environments.map(summarizeEnvironment),
            }
          : answer;
      }),
    };
  }

  /** The answer for one entity, once the snapshot and the index are in. */
  private statusFrom(
    entity: Entity,
    entityRef: string,
    snapshot: Snapshot,
  ): EntityEnvironmentsResponse {
    const bounds = this.checkBounds(entity, entityRef);
    if ('refusal' in bounds) {
      return { ...bounds.refusal, environments: [] };
    }
    const { desired } = this.options;
    let desiredResult:
      | { value: DesiredServiceState; error: undefined }
      | { value: undefined; error: string };
    try {
      desiredResult = { value: desired.lookup(bounds.path), error: undefined };
    } catch (e) {
      desiredResult = {
        value: undefined,
        error: `Git: ${(e as Error).message}`,
      };
    }

    const { live, selectors } = this.matchLive(entity, snapshot);
    const failingProviders: Record<string, string[]> = {};
    for (const provider of this.options.providers) {
      const state = snapshot.providers.get(provider.id);
      // Unavailable: the database fails and the copy in hand (if any) has
      // never seen this provider.
      if (snapshot.unavailable || (snapshot.stale && !state)) {
        (failingProviders[provider.controller] ??= []).push(
          `${provider.displayName}: live state unavailable, the GitOps status database did not answer`,
        );
      } else if (state && !state.ok) {
        (failingProviders[provider.controller] ??= []).push(
          `${provider.displayName}: ${state.error ?? 'poll failed'}`,
        );
      }
    }
    const desiredStaleSince = desired.staleSince;
    const environments: EnvironmentStatus[] = buildEnvironmentStatuses({
      profileEnvironments: this.options.profile.environments,
      desired: desiredResult.value,
      desiredError: desiredResult.error,
      live,
      failingProviders,
      // Only read for an environment nothing was found for.
      selectorDescriptions: () => this.selectorDescriptions(entity, selectors),
      ...(desiredResult.value && desiredStaleSince
        ? {
            desiredStaleReason: `Git: the GitOps repository could not be re-read since ${desiredStaleSince}; showing what it wanted${
              desiredResult.value.revision
                ? ` at ${desiredResult.value.revision.slice(0, 12)}`
                : ''
            }`,
          }
        : {}),
      // Only when the copy in hand holds some poll's state to show.
      ...(snapshot.stale && snapshot.providers.size > 0
        ? {
            liveStaleReason: `the GitOps status database did not answer since ${snapshot.stale.since}; showing the live state loaded at ${snapshot.stale.loadedAt}`,
          }
        : {}),
    });
    const age = this.snapshotAge(snapshot, live);
    return { entityRef, environments, ...(age ? { snapshot: age } : {}) };
  }

  /**
   * The age of the live state shown, when it comes from polls made before
   * this backend started (by it before a restart, or by a replica since
   * gone): until a poll refreshes it, the answer says how old it is.
   */
  private snapshotAge(
    snapshot: Snapshot,
    live: Array<{ providerId: string }>,
  ): SnapshotAge | undefined {
    let oldest: number | undefined;
    for (const providerId of new Set(live.map(m => m.providerId))) {
      const at = Date.parse(
        snapshot.providers.get(providerId)?.lastSuccessAt ?? '',
      );
      if (at < this.startedAt && (oldest === undefined || at < oldest)) {
        oldest = at;
      }
    }
    if (oldest === undefined) return undefined;
    const ageSeconds = Math.max(0, Math.floor((Date.now() - oldest) / 1000));
    return {
      polledAt: new Date(oldest).toISOString(),
      ageSeconds,
      message: `Live state from the stored snapshot of a poll ${formatAge(
        ageSeconds,
      )} ago: this backend restarted and answers from it until its first poll ends.`,
    };
  }

  /**
   * The snapshot's resources each provider's selector for the entity
   * matches: the join's one rule of which resources are the entity's.
   */
  private matchLive(
    entity: Entity,
    snapshot: Snapshot,
  ): {
    live: Array<MatchedLive & { providerId: string }>;
    selectors: Map<string, ReturnType<typeof safeSelector>>;
  } {
    const selectors = new Map(
      this.options.providers.map(p => [p.id, this.selector(p, entity)]),
    );
    const live: Array<MatchedLive & { providerId: string }> = [];
    for (const provider of this.options.providers) {
      const selector = selectors.get(provider.id);
      if (!selector) continue;
      const state = snapshot.providers.get(provider.id);
      // Narrow to the rows carrying the selector's first `key=value` label.
      const equality = selector.find(r => r.op === '=');
      const candidates =
        equality && equality.op === '='
          ? resourcesWithLabel(
              snapshot,
              provider.id,
              equality.key,
              equality.value,
            )
          : [];
      for (const row of candidates) {
        if (!matchesLabelSelector(row.resource.labels, selector)) continue;
        live.push({
          providerId: provider.id,
          resource: row.resource,
          controller: provider.controller,
          ...(provider.controllerName
            ? { controllerName: provider.controllerName }
            : {}),
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
    return { live, selectors };
  }

  /** A provider's parsed selector for the entity, remembered by its text. */
  private selector(provider: GitopsLiveStateProvider, entity: Entity) {
    const text = provider.selectorFor(entity);
    if (!text) return undefined;
    if (this.selectors.has(text)) return this.selectors.get(text);
    const parsed = safeSelector(text);
    remember(this.selectors, text, parsed);
    return parsed;
  }

  /** Per controller, the selectors looked for, or why there is none. */
  private selectorDescriptions(
    entity: Entity,
    selectors: Map<string, { text: string } | undefined>,
  ): Record<string, string> {
    const byController = new Map<string, Set<string>>();
    for (const provider of this.options.providers) {
      const text =
        selectors.get(provider.id)?.text ??
        (provider.selectorFor(entity)
          ? 'its selector holds no key=value equality'
          : MISSING_SELECTOR[provider.controller] ??
            `${provider.displayName} has no selector for the entity`);
      const set = byController.get(provider.controller) ?? new Set();
      set.add(text);
      byController.set(provider.controller, set);
    }
    return Object.fromEntries(
      [...byController].map(([controller, texts]) => [
        controller,
        [...texts].join(' or '),
      ]),
    );
  }
}

/** "45 s", "12 min", "3 h", "2 d". */
function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}

// Longest reason a summary carries; the team page shows less.
const SUMMARY_REASON_LENGTH = 200;

/** What a list of many components shows of an environment. */
function summarizeEnvironment(env: EnvironmentStatus): EnvironmentStatus {
  return {
    name: env.name,
    controller: env.controller,
    ...(env.controllerName ? { controllerName: env.controllerName } : {}),
    drift: env.drift,
    ...(env.desired ? { desired: env.desired } : {}),
    ...(env.live
      ? {
          live: {
            images: env.live.images,
            sync: env.live.sync,
            health: env.live.health,
            ...(env.live.stale ? { stale: true } : {}),
            // What a list shows of a problem: since when (for "stuck") and
            // the first reason, shortened.
            ...(env.live.since && !isSettled(env.live)
              ? { since: env.live.since }
              : {}),
            ...(env.live.reasons?.length
              ? {
                  reasons: [
                    {
                      ...env.live.reasons[0],
                      message: shortReason(
                        env.live.reasons,
                        SUMMARY_REASON_LENGTH,
                      )!,
                    },
                  ],
                }
              : {}),
          },
        }
      : {}),
    ...(env.error ? { error: env.error } : {}),
  };
}

/**
 * A provider's selector for the entity, when it holds a `key=value`
 * equality: a selector of existence or inequality requirements only would
 * match other services' resources, so it matches nothing.
 */
function safeSelector(text: string | undefined) {
  if (!text) return undefined;
  try {
    const parsed = parseLabelSelector(text);
    if (!parsed.some(r => r.op === '=' && r.key && r.value)) return undefined;
    return Object.assign(parsed, { text });
  } catch {
    return undefined;
  }
}
