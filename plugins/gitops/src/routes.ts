import { createRouteRef } from '@backstage/core-plugin-api';

/** @public */
export const rootRouteRef = createRouteRef({ id: 'gitops' });

/** @public */
export const entityContentRouteRef = createRouteRef({
  id: 'gitops:entity-content',
});
