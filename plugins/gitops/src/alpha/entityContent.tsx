import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isGitopsAvailable } from '@goldenpath/plugin-gitops-common';
import { entityContentRouteRef } from '../routes';

/**
 * The entity tab, `entity-content:gitops` at `/gitops`, on entities with a
 * `gitops/path` annotation.
 *
 * @alpha
 */
export const gitopsEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/gitops',
    title: 'GitOps',
    routeRef: entityContentRouteRef,
    filter: isGitopsAvailable,
    loader: () =>
      import('../components/EntityGitopsContent').then(m => (
        <m.EntityGitopsContent />
      )),
  },
});
