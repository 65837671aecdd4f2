import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { entityContentRouteRef, rootRouteRef } from '../routes';
import { gitopsApi } from './apis';
import { gitopsEntityCard } from './entityCard';
import { gitopsEntityContent } from './entityContent';
import { gitopsPage } from './page';

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
