import {
  coreServices,
  createBackendPlugin,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { gitopsPermissions } from '@goldenpath/plugin-gitops-common';
import {
  GitopsLiveStateProvider,
  GitopsRepositoryReader,
  LocalRepositoryReader,
  PlatformProfile,
  UrlRepositoryReader,
  gitopsLiveStateExtensionPoint,
  readPlatformProfile,
} from '@goldenpath/plugin-gitops-node';
import { readLiveStateConfig } from './config';
import { ArgoCdProvider } from './providers/ArgoCdProvider';
import { FluxProvider } from './providers/FluxProvider';
import { DesiredIndexStore } from './desired/DesiredIndexStore';
import { DesiredStateIndex } from './desired/DesiredStateIndex';
import { EnvironmentHistoryService } from './history/EnvironmentHistoryService';
import { HistoryStore } from './history/HistoryStore';
import { createRouter } from './service/router';
import { PollSlots, schedulePollers } from './snapshot/Poller';
import { SnapshotCache } from './snapshot/SnapshotCache';
import { SnapshotStore } from './snapshot/SnapshotStore';
import { GitopsStatusService } from './status/GitopsStatusService';
import { redactUrl, redactUrlsForLog } from './redact';

/**
 * The GitOps backend plugin: per component and environment, the image tag Git
 * wants, what runs, and the controller's sync and health.
 *
 * @public
 */
export const gitopsPlugin = createBackendPlugin({
  pluginId: 'gitops',
  register(env) {
    const extraProviders: GitopsLiveStateProvider[] = [];
    env.registerExtensionPoint(gitopsLiveStateExtensionPoint, {
      addProvider(...providers) {
        extraProviders.push(...providers);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        urlReader: coreServices.urlReader,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const {
          config,
          logger,
          httpRouter,
          httpAuth,
          database,
          scheduler,
          permissions,
        } = deps;
        const profile = readPlatformProfile(config);
        const live = readLiveStateConfig(config);
        const argocd = ArgoCdProvider.fromConfig(config, { logger });
        const flux = FluxProvider.fromConfig(config, { logger });
        const providers: GitopsLiveStateProvider[] = [
          ...argocd,
          ...flux,
          ...extraProviders,
        ];

        const startedAt = new Date();
        const store = await SnapshotStore.create(database);
        const snapshot = new SnapshotCache(store, 1000, logger);
        // A restarted replica answers from the stored snapshot before its
        // first poll: load it now, not on the first request; then keep it
        // as recent as the database (other replicas may poll).
        void snapshot.get();
        await scheduler.scheduleTask({
          id: 'gitops-snapshot-revalidate',
          scope: 'local',
          frequency: { seconds: 1 },
          timeout: { seconds: 60 },
          initialDelay: { seconds: 1 },
          fn: () => snapshot.revalidate(),
        });
        // Its table comes with the snapshot store's migrations.
        const historyStore = new HistoryStore(await database.getClient());
        await schedulePollers({
          providers,
          scheduler,
          store,
          history: historyStore,
          logger,
          onPolled: image => snapshot.invalidate(image),
          slots: new PollSlots(live.pollingConcurrency),
        });

        deps.permissionsRegistry.addPermissions(gitopsPermissions);

        const desired = new DesiredStateIndex({
          reader: createRepositoryReader(profile.repository, deps.urlReader),
          appsPath: profile.repository.appsPath,
          logger,
          // Its table comes with the snapshot store's migrations.
          store: new DesiredIndexStore(
            await database.getClient(),
            `${
              profile.repository.localPath ?? profile.repository.url ?? 'none'
            }#${profile.repository.branch ?? ''}#${
              profile.repository.appsPath
            }`,
          ),
        });
        let lastDesiredError: string | undefined;
        const refreshDesired = async () => {
          try {
            await desired.refresh();
            if (lastDesiredError) {
              logger.info('GitOps repository: read again');
            }
            lastDesiredError = undefined;
          } catch (e) {
            // Integrations put the repository URL (and so its token) in
            // their messages: scheme and host only.
            const message = redactUrlsForLog(String((e as Error)?.message));
            if (message !== lastDesiredError) {
              logger.warn(
                `GitOps repository: could not read ${profile.repository.appsPath}: ${message}; answering from the last good read, marked stale`,
              );
            }
            lastDesiredError = message;
          }
        };
        // The first read starts now; requests wait for it rather than read
        // Git themselves.
        void refreshDesired();
        // Each replica keeps its own copy; an unchanged repository costs one
        // version check per interval.
        await scheduler.scheduleTask({
          id: 'gitops-desired-state',
          scope: 'local',
          frequency: { milliseconds: live.desiredCacheTtlMs },
          timeout: { minutes: 5 },
          initialDelay: { milliseconds: live.desiredCacheTtlMs },
          fn: refreshDesired,
        });

        const status = new GitopsStatusService({
          catalog: deps.catalog,
          permissions,
          desired,
          profile,
          providers,
          snapshot,
          logger,
          startedAt,
        });

        const history = new EnvironmentHistoryService({
          status,
          store: historyStore,
          profile,
          logger,
        });

        httpRouter.use(
          await createRouter({ logger, httpAuth, profile, status, history }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        logger.info(
          `GitOps status: ${providers.length} live-state provider(s)${
            providers.length ? `: ${providers.map(p => p.id).join(', ')}` : ''
          }; desired state from ${
            profile.repository.localPath ??
            (profile.repository.url
              ? redactUrl(profile.repository.url)
              : 'nowhere (set gitops.repository)')
          }`,
        );
      },
    });
  },
});

function createRepositoryReader(
  repository: PlatformProfile['repository'],
  urlReader: UrlReaderService,
): GitopsRepositoryReader {
  if (repository.localPath)
    return new LocalRepositoryReader(repository.localPath);
  if (repository.url) {
    return new UrlRepositoryReader(
      urlReader,
      UrlRepositoryReader.treeUrlFor(repository.url, repository.branch),
    );
  }
  const none = async (): Promise<never> => {
    throw new Error(
      'no GitOps repository configured (gitops.repository.localPath or url)',
    );
  };
  return { readService: none, readAll: none };
}
