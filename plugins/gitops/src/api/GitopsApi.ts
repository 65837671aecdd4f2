import { createApiRef } from '@backstage/core-plugin-api';
import type {
  EntityEnvironmentsResponse,
  EnvironmentsQueryResponse,
  EnvironmentsQueryView,
} from '@goldenpath/plugin-gitops-common';
import type { CompoundEntityRef } from '@backstage/catalog-model';

/**
 * The golden path's environments, as the backend publishes them.
 *
 * @public
 */
export interface GitopsProfile {
  environments: Array<{
    name: string;
    namespace: string;
    cluster?: string;
    tagPolicy: 'mutable' | 'immutable';
    replicas: number;
    resourceTier: string;
  }>;
  defaultController: 'argocd' | 'flux' | 'none';
}

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
}

/** @public */
export const gitopsApiRef = createApiRef<GitopsApi>({
  id: 'plugin.gitops.service',
});
