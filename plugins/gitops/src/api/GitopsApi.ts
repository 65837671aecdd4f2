import { createApiRef } from '@backstage/core-plugin-api';
import type {
  EntityEnvironmentsResponse,
  EnvironmentHistoryResponse,
  EnvironmentsQueryResponse,
  EnvironmentsQueryView,
  GitopsProfileResponse,
} from '@goldenpath/plugin-gitops-common';
import type { CompoundEntityRef } from '@backstage/catalog-model';

/**
 * The golden path's environments, as the backend publishes them (the
 * `/v1/profile` answer, typed in `@goldenpath/plugin-gitops-common`).
 *
 * @public
 */
export type GitopsProfile = GitopsProfileResponse;

/**
 * Client of the GitOps backend.
 *
 * @public
 */
export interface GitopsApi {
  getProfile(): Promise<GitopsProfile>;
  getEntityEnvironments(
    entity: CompoundEntityRef,
  ): Promise<EntityEnvironmentsResponse>;
  queryEnvironments(
    entityRefs: string[],
    options?: { view?: EnvironmentsQueryView },
  ): Promise<EnvironmentsQueryResponse>;
  /** What one environment of the entity ran, newest first. */
  getEnvironmentHistory(
    entity: CompoundEntityRef,
    environment: string,
  ): Promise<EnvironmentHistoryResponse>;
}

/** @public */
export const gitopsApiRef = createApiRef<GitopsApi>({
  id: 'plugin.gitops.service',
});
