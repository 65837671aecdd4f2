import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isGitopsAvailable } from '@goldenpath/plugin-gitops-common';

/**
 * The overview card, `entity-card:gitops`, on entities with a `gitops/path`
 * annotation.
 *
 * @alpha
 */
export const gitopsEntityCard = EntityCardBlueprint.make({
  params: {
    filter: isGitopsAvailable,
    loader: () =>
      import('../components/EntityGitopsCard').then(m => (
        <m.EntityGitopsCard />
      )),
  },
});
