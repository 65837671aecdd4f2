import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { isGitopsAvailable } from '@goldenpath/plugin-gitops-common';
import { GitopsClient, gitopsApiRef } from './api';
import { entityContentRouteRef, rootRouteRef } from './routes';

/** @alpha */
export const gitopsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: gitopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GitopsClient({ discoveryApi, fetchApi }),
    }),
});

/** @alpha */
export const gitopsEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/gitops',
    title: 'GitOps',
    routeRef: entityContentRouteRef,
    filter: isGitopsAvailable,
    loader: () =>
      import('./components/EntityGitopsContent').then(m => (
        <m.EntityGitopsContent />
      )),
  },
});

/** @alpha */
export const gitopsEntityCard = EntityCardBlueprint.make({
  params: {
    filter: isGitopsAvailable,
    loader: () =>
      import('./components/EntityGitopsCard').then(m => <m.EntityGitopsCard />),
  },
});

/** @alpha */
export const gitopsPage = PageBlueprint.make({
  params: {
    path: '/gitops',
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/GitopsStatusPage').then(m => <m.GitopsStatusPage />),
  },
});

/**
 * The GitOps plugin for Backstage's new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'gitops',
  extensions: [gitopsApi, gitopsEntityContent, gitopsEntityCard, gitopsPage],
  routes: { root: rootRouteRef, entityContent: entityContentRouteRef },
});
