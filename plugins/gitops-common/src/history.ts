import type { AnnotationProblem } from './types';

/**
 * One version an environment ran, as the GitOps backend saw it running.
 *
 * @public
 */
export interface EnvironmentHistoryItem {
  /** The tag or digest of the service's image. */
  version: string;
  /** The full image reference. */
  image: string;
  /** ISO 8601 time it was first seen running. */
  since: string;
  /** ISO 8601 time another version replaced it; absent while it runs. */
  until?: string;
  /** Git revision the controller had applied. */
  revision?: string;
}

/**
 * Answer of
 * `GET /api/gitops/v1/entities/:namespace/:kind/:name/environments/:environment/history`:
 * newest first, bounded.
 *
 * @public
 */
export interface EnvironmentHistoryResponse {
  items: EnvironmentHistoryItem[];
  /** Set when `items` is empty for a reason (a missing or refused annotation), as for the environments. */
  reason?: string;
  /** Annotations refused as out of bounds; `reason` says the same in one sentence. */
  problems?: AnnotationProblem[];
}
