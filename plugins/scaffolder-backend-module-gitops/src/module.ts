import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  LocalGitRepository,
  readPlatformProfile,
} from '@goldenpath/plugin-gitops-node';
import {
  createCatalogRegisterAction,
  createRepositoryCommitAction,
  createServiceCreateAction,
} from './actions';

/**
 * Adds the golden path's actions to the scaffolder: `gitops:service:create`,
 * `gitops:repository:commit` and `gitops:catalog:register`.
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
        catalog: catalogServiceRef,
        auth: coreServices.auth,
      },
      async init({ scaffolder, config, catalog, auth }) {
        // Read at start-up so that a wrong profile stops the backend with the
        // key that is wrong, not the first template run.
        const profile = readPlatformProfile(config);
        const { localPath, branch } = profile.repository;
        const repository = localPath
          ? new LocalGitRepository(localPath, { branch })
          : undefined;
        scaffolder.addActions(
          createServiceCreateAction({ profile, catalog }),
          createRepositoryCommitAction({ repository, config }),
          createCatalogRegisterAction({
            catalog,
            auth,
            repositoryDir: localPath,
            repositoryUrl: profile.repository.url,
            branch,
            appsPath: profile.repository.appsPath,
          }),
        );
      },
    });
  },
});
