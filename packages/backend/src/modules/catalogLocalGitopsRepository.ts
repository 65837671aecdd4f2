import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { GitopsRepositoryEntityProvider } from './catalog/GitopsRepositoryEntityProvider';

/**
 * Embedded default only: the components committed to the local GitOps
 * repository (`gitops.repository.localPath`) reach the catalog through an
 * entity provider. The locations API keeps Backstage's default of `url`
 * targets only, so no user can register a `file` location.
 */
export const catalogModuleLocalGitopsRepository = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'local-gitops-repository',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        catalog: catalogProcessingExtensionPoint,
      },
      async init({ config, logger, scheduler, catalog }) {
        const provider = GitopsRepositoryEntityProvider.fromConfig(config, {
          logger,
          scheduler,
        });
        if (provider) catalog.addEntityProvider(provider);
      },
    });
  },
});
