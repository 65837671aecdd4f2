import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  LocalGitRepository,
  LocalServiceFolderSource,
  UrlRepositoryReader,
  UrlServiceFolderSource,
  readPlatformProfile,
} from '@goldenpath/plugin-gitops-node';
import {
  createCatalogRegisterAction,
  createEnvironmentPromoteAction,
  createRepositoryCommitAction,
  createServiceCreateAction,
} from './actions';
import { GitopsStatusClient } from './status/GitopsStatusClient';

/**
 * Adds the golden path's actions to the scaffolder: `gitops:service:create`,
 * `gitops:repository:commit`, `gitops:catalog:register` and
 * `gitops:environment:promote`.
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
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        urlReader: coreServices.urlReader,
      },
      async init({
        scaffolder,
        config,
        catalog,
        auth,
        discovery,
        permissions,
        urlReader,
      }) {
        // Read at start-up so that a wrong profile stops the backend with the
        // key that is wrong, not the first template run.
        const profile = readPlatformProfile(config);
        const { localPath, branch } = profile.repository;
        const repository = localPath
          ? new LocalGitRepository(localPath, { branch })
          : undefined;
        // Promotions read the branch the way the status backend does: the
        // local repository when there is one, else the URL reader.
        let source;
        if (repository) source = new LocalServiceFolderSource(repository);
        else if (profile.repository.url) {
          source = new UrlServiceFolderSource(
            urlReader,
            UrlRepositoryReader.treeUrlFor(profile.repository.url, branch),
          );
        }
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
          createEnvironmentPromoteAction({
            profile,
            catalog,
            permissions,
            status: new GitopsStatusClient(discovery, auth),
            source,
          }),
        );
      },
    });
  },
});
