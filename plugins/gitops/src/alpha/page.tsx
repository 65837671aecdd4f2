import { PageBlueprint } from '@backstage/frontend-plugin-api';
import { rootRouteRef } from '../routes';

/**
 * The team page, `page:gitops` at `/gitops`.
 *
 * @alpha
 */
export const gitopsPage = PageBlueprint.make({
  params: {
    path: '/gitops',
    routeRef: rootRouteRef,
    loader: () =>
      import('../components/GitopsStatusPage').then(m => (
        <m.GitopsStatusPage />
      )),
  },
});
