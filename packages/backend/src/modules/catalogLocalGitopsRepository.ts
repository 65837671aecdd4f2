import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';
import { readPlatformProfile } from '@goldenpath/plugin-gitops-node';

/**
 * Embedded default only: lets `gitops:catalog:register` add `file` locations
 * of the local GitOps repository. Enabled only when
 * `gitops.repository.localPath` is set, since file locations name paths on
 * the backend's disk; production registers through URLs.
 */
export const catalogModuleLocalGitopsRepository = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'local-gitops-repository',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        locations: catalogLocationsExtensionPoint,
      },
      async init({ config, locations }) {
        if (readPlatformProfile(config).repository.localPath) {
          locations.setAllowedLocationTypes(['url', 'file']);
        }
      },
    });
  },
});
