import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { GitopsClient, gitopsApiRef } from './api';
import { entityContentRouteRef, rootRouteRef } from './routes';

/**
 * The GitOps frontend plugin (legacy frontend system).
 *
 * @public
 */
export const gitopsPlugin = createPlugin({
  id: 'gitops',
  apis: [
    createApiFactory({
      api: gitopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GitopsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
  },
});

/**
 * Entity tab with the component's environments.
 *
 * @public
 */
export const EntityGitopsContent = gitopsPlugin.provide(
  createRoutableExtension({
    name: 'EntityGitopsContent',
    component: () =>
      import('./components/EntityGitopsContent').then(
        m => m.EntityGitopsContent,
      ),
    mountPoint: entityContentRouteRef,
  }),
);

/**
 * Team-wide status page.
 *
 * @public
 */
export const GitopsStatusPage = gitopsPlugin.provide(
  createRoutableExtension({
    name: 'GitopsStatusPage',
    component: () =>
      import('./components/GitopsStatusPage').then(m => m.GitopsStatusPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * Overview card with each environment's tag and a combined status.
 *
 * @public
 */
export const EntityGitopsCard = gitopsPlugin.provide(
  createComponentExtension({
    name: 'EntityGitopsCard',
    component: {
      lazy: () =>
        import('./components/EntityGitopsCard').then(m => m.EntityGitopsCard),
    },
  }),
);
