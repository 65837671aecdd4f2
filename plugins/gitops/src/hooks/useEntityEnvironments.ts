import { useApi } from '@backstage/core-plugin-api';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { isGitopsAvailable } from '@goldenpath/plugin-gitops-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { gitopsApiRef } from '../api';
import { useGitopsRefresh } from './useGitopsRefresh';

/**
 * The environments of the entity in view, refreshed periodically; nothing is
 * fetched when the entity lacks the gitops/path annotation.
 */
export function useEntityEnvironments() {
  const { entity } = useEntity();
  const gitopsApi = useApi(gitopsApiRef);
  const available = isGitopsAvailable(entity);
  const state = useAsyncRetry(
    async () =>
      available
        ? gitopsApi.getEntityEnvironments(getCompoundEntityRef(entity))
        : undefined,
    [gitopsApi, entity, available],
  );
  useGitopsRefresh(state.retry);
  return { ...state, available };
}
