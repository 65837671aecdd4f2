import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { readPlatformProfile } from '@goldenpath/plugin-gitops-node';

/**
 * Adds the golden path's actions to the scaffolder.
 *
 * @public
 */
export const scaffolderModuleGitops = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'gitops',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, config }) {
        // Read at start-up so that a wrong profile stops the backend with the
        // key that is wrong, not the first template run.
        readPlatformProfile(config);
        scaffolder.addActions();
      },
    });
  },
});
