/**
 * The GitOps controllers the golden path generates manifests for.
 *
 * @public
 */
export type GitopsController = 'argocd' | 'flux' | 'none';

/**
 * The controller of an environment, as the status API reports it and a
 * live-state provider declares it: one of the golden path's, or the id of a
 * third provider's controller (e.g. `kargo`), which the UI shows by the
 * environment's `controllerName` or else by this id.
 *
 * @public
 */
export type GitopsControllerId = GitopsController | (string & {});

/** @public */
export const GITOPS_CONTROLLERS: readonly GitopsController[] = [
  'argocd',
  'flux',
  'none',
];

/**
 * Whether the live state matches what Git wants, as the controller sees it.
 *
 * @public
 */
export type SyncStatus = 'Synced' | 'OutOfSync' | 'Unknown';

/**
 * Health of an environment's workload, as the controller reports it.
 *
 * @public
 */
export type HealthStatus =
  | 'Healthy'
  | 'Progressing'
  | 'Degraded'
  | 'Suspended'
  | 'Missing'
  | 'Unknown';

/** @public */
export const SYNC_STATUSES: readonly SyncStatus[] = [
  'Synced',
  'OutOfSync',
  'Unknown',
];

/** @public */
export const HEALTH_STATUSES: readonly HealthStatus[] = [
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
];

/**
 * Image tag policy of an environment. `immutable` environments refuse moving
 * tags such as `latest`.
 *
 * @public
 */
export type TagPolicy = 'mutable' | 'immutable';

/**
 * The image that Git wants an environment to run.
 *
 * @public
 */
export interface DesiredImage {
  /** Image repository, without tag or digest. */
  image: string;
  tag?: string;
  digest?: string;
  /**
   * True when the GitOps repository could not be re-read and this is what it
   * wanted at the last successful read.
   */
  stale?: boolean;
}

/**
 * What the GitOps controller reports for an environment.
 *
 * @public
 */
export interface LiveState {
  /** Images running, as `repository:tag` or `repository@digest`. */
  images: string[];
  /** Git revision the controller last applied. */
  revision?: string;
  sync: SyncStatus;
  health: HealthStatus;
  /** ISO 8601 time of the last finished sync. */
  lastSyncedAt?: string;
  /** ISO 8601 time since which `sync` and `health` have had their values. */
  since?: string;
  /** Deep link to the controller's UI for this environment. */
  url?: string;
  /** True when the controller could not be reached and this is the last known state. */
  stale?: boolean;
  /**
   * Why the environment is not Synced and Healthy, in the controller's own
   * words (plain text, never markup), most telling first. Absent when the
   * controller gives none.
   */
  reasons?: StatusReason[];
}

/**
 * Where a reason comes from: the application's health, its sync, its last
 * (failed) operation, one of its conditions, or one of the objects it
 * deploys.
 *
 * @public
 */
export type StatusReasonSource =
  | 'health'
  | 'sync'
  | 'operation'
  | 'condition'
  | 'resource';

/**
 * One reason a controller gives for an environment's state.
 *
 * @public
 */
export interface StatusReason {
  source: StatusReasonSource;
  /**
   * The condition type (`ComparisonError`, `Ready`), the operation phase
   * (`Failed`), the health status, or `Kind/name` of the object.
   */
  type?: string;
  /** The condition's machine-readable reason, when it has one (Flux). */
  reason?: string;
  /** The controller's message, as plain text. */
  message: string;
  /** ISO 8601 time since which this has held, as the controller says. */
  since?: string;
}

/**
 * One environment of one component: what Git wants and what runs.
 *
 * @public
 */
export interface EnvironmentStatus {
  name: string;
  namespace?: string;
  cluster?: string;
  controller: GitopsControllerId;
  /**
   * Display name of a controller other than Argo CD and Flux, from its
   * provider (e.g. `Kargo`).
   */
  controllerName?: string;
  desired?: DesiredImage;
  live?: LiveState;
  /** True when the live images differ from the desired one. */
  drift: boolean;
  error?: { message: string };
}

/**
 * How old the live state of an answer is, set when it comes from a
 * snapshot stored before this backend started (a restarted replica answers
 * from it until its first poll ends), so nobody takes it for fresh.
 *
 * @public
 */
export interface SnapshotAge {
  /** ISO 8601 time of the oldest poll the answer's live state comes from. */
  polledAt: string;
  /** Whole seconds between that poll and the answer. */
  ageSeconds: number;
  /** One sentence for people, e.g. why the live state may be old. */
  message: string;
}

/**
 * Answer of `GET /api/gitops/v1/entities/:namespace/:kind/:name/environments`.
 *
 * @public
 */
export interface EntityEnvironmentsResponse {
  entityRef: string;
  environments: EnvironmentStatus[];
  /** Set when the list is empty for a reason the UI can show (e.g. a missing annotation). */
  reason?: string;
  /** Annotations refused as out of bounds; `reason` says the same in one sentence. */
  problems?: AnnotationProblem[];
  /** Set when the live state comes from a snapshot stored before this backend started. */
  snapshot?: SnapshotAge;
}

/**
 * An entity annotation the status backend refused, and the rule it breaks.
 *
 * @public
 */
export interface AnnotationProblem {
  /** The annotation, e.g. `gitops/path`. */
  annotation: string;
  /** The rule the value breaks, e.g. `must not contain "." or ".." segments`. */
  message: string;
}

/**
 * Body of `POST /api/gitops/v1/environments/query`.
 *
 * @public
 */
export interface EnvironmentsQueryRequest {
  entityRefs: string[];
  /**
   * `full` (default): environments as the entity view gets them. `summary`:
   * what a list of many components shows (desired and live images, sync,
   * health, drift, stale, errors) without namespace, cluster, revision, last
   * sync, "since" and links, about half the size.
   */
  view?: EnvironmentsQueryView;
}

/** @public */
export type EnvironmentsQueryView = 'full' | 'summary';

/**
 * Answer of `POST /api/gitops/v1/environments/query`.
 *
 * @public
 */
export interface EnvironmentsQueryResponse {
  items: Array<{
    entityRef: string;
    environments: EnvironmentStatus[];
    reason?: string;
    problems?: AnnotationProblem[];
    snapshot?: SnapshotAge;
    error?: { message: string };
  }>;
}

/** Most entity refs one query may ask for. @public */
export const MAX_QUERY_ENTITY_REFS = 500;
