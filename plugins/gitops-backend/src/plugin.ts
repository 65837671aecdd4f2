import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { readPlatformProfile } from '@goldenpath/plugin-gitops-node';
import { createRouter } from './service/router';

/**
 * The GitOps backend plugin: per component and environment, the image tag Git
 * wants, what runs, and the controller's sync and health.
 *
 * @public
 */
export const gitopsPlugin = createBackendPlugin({
  pluginId: 'gitops',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
      },
      async init({ config, logger, httpRouter }) {
        const profile = readPlatformProfile(config);
        httpRouter.use(await createRouter({ logger, profile }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
