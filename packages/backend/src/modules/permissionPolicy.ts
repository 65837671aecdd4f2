import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { GoldenPathPermissionPolicy } from './permission/GoldenPathPermissionPolicy';

/**
 * The portal's permission policy, in development and production alike (the
 * guest is a member of groups in examples/org.yaml). A missing or wrong
 * `permissionPolicy.adminGroup`, or `permission.enabled` not true, stops the
 * backend at start-up instead of allowing everything.
 */
export const permissionModuleGoldenPathPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'golden-path-policy',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        policy: policyExtensionPoint,
      },
      async init({ config, policy }) {
        policy.setPolicy(GoldenPathPermissionPolicy.fromConfig(config));
      },
    });
  },
});
