import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { GITOPS_PATH_ANNOTATION } from '@goldenpath/plugin-gitops-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { gitopsApiRef } from '../../api';
import { useGitopsRefresh } from '../../hooks/useGitopsRefresh';
import { buildRows } from './rows';

/**
 * The team page's data: the profile (its environments are the columns), one
 * row per annotated component, and the user's groups; refreshed periodically.
 */
export function useTeamStatus() {
  const catalogApi = useApi(catalogApiRef);
  const gitopsApi = useApi(gitopsApiRef);
  const identityApi = useApi(identityApiRef);

  const state = useAsyncRetry(async () => {
    const [profile, identity, entities] = await Promise.all([
      gitopsApi.getProfile(),
      identityApi.getBackstageIdentity(),
      catalogApi.getEntities({
        filter: {
          kind: 'Component',
          [`metadata.annotations.${GITOPS_PATH_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'spec.owner',
          'spec.system',
        ],
      }),
    ]);
    const refs = entities.items.map(e => stringifyEntityRef(e));
    // One request for the whole page, however many components.
    const statuses = refs.length
      ? await gitopsApi.queryEnvironments(refs, { view: 'summary' })
      : { items: [] };
    return {
      profile,
      rows: buildRows(entities.items, statuses),
      mine: identity.ownershipEntityRefs,
    };
  }, [catalogApi, gitopsApi, identityApi]);
  useGitopsRefresh(state.retry);
  return state;
}
