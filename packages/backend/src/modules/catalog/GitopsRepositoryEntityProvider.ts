import {
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerService,
  SchedulerServiceTaskRunner,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  EntityProvider,
  EntityProviderConnection,
  locationSpecToLocationEntity,
} from '@backstage/plugin-catalog-node';
import {
  LocalGitRepository,
  readPlatformProfile,
} from '@goldenpath/plugin-gitops-node';
import path from 'node:path';

/** Config key of the provider's own settings. */
export const PROVIDER_CONFIG_KEY = 'catalog.providers.gitopsRepository';

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 10 },
  timeout: { minutes: 1 },
  initialDelay: { seconds: 1 },
  // Every instance reads its own working tree, so each one runs the task.
  scope: 'local',
};

/** The provider's settings, read from config; pure. */
export interface GitopsRepositoryProviderSettings {
  /** Absolute path of the local GitOps repository. */
  localPath: string;
  branch: string;
  appsPath: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
}

/**
 * Reads the provider settings, or undefined when there is no local GitOps
 * repository (`gitops.repository.localPath` unset, or `source: url`).
 */
export function readGitopsRepositoryProviderSettings(
  config: Config,
): GitopsRepositoryProviderSettings | undefined {
  const { localPath, branch, appsPath } =
    readPlatformProfile(config).repository;
  if (!localPath) return undefined;
  const scheduleConfig = config.getOptionalConfig(
    `${PROVIDER_CONFIG_KEY}.schedule`,
  );
  const read = scheduleConfig
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig)
    : undefined;
  const schedule: SchedulerServiceTaskScheduleDefinition = read
    ? {
        frequency: read.frequency,
        timeout: read.timeout,
        initialDelay: read.initialDelay ?? DEFAULT_SCHEDULE.initialDelay,
        scope: read.scope ?? DEFAULT_SCHEDULE.scope,
      }
    : DEFAULT_SCHEDULE;
  return { localPath, branch, appsPath, schedule };
}

/**
 * The `catalog-info.yaml` of every service folder in the committed tree of
 * the branch (`<appsPath>/<service>/catalog-info.yaml`, repository-relative),
 * with the commit read; null before the first commit. Read through the one
 * git layer of `@goldenpath/plugin-gitops-node`.
 */
export async function listCommittedCatalogFiles(
  repository: LocalGitRepository,
  appsPath: string,
): Promise<{ commit: string | null; files: string[] }> {
  const apps = await repository.listCommittedFolder(appsPath);
  if (!apps) return { commit: null, files: [] };
  const files: string[] = [];
  for (const service of apps.folders) {
    const folder = `${appsPath}/${service}`;
    // A folder name the git layer refuses is skipped, not fatal to the rest.
    const inner = await repository
      .listCommittedFolder(folder)
      .catch(() => undefined);
    if (inner?.files.includes('catalog-info.yaml')) {
      files.push(`${folder}/catalog-info.yaml`);
    }
  }
  return { commit: apps.commit, files: files.sort() };
}

/**
 * Puts the components of the local GitOps repository into the catalog: one
 * `file` Location entity per `<appsPath>/<service>/catalog-info.yaml` of the
 * committed tree, as a full mutation. Because the catalog learns about them
 * here, the locations API need not accept `file` targets from users.
 *
 * Cheap when nothing changed: a run reads the branch's commit and stops if
 * it is the one already emitted.
 */
export class GitopsRepositoryEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private emittedCommit?: string | null;

  static fromConfig(
    config: Config,
    deps: { logger: LoggerService; scheduler: SchedulerService },
  ): GitopsRepositoryEntityProvider | undefined {
    const settings = readGitopsRepositoryProviderSettings(config);
    if (!settings) return undefined;
    return new GitopsRepositoryEntityProvider(
      settings,
      deps.logger,
      deps.scheduler.createScheduledTaskRunner(settings.schedule),
    );
  }

  constructor(
    private readonly settings: Omit<
      GitopsRepositoryProviderSettings,
      'schedule'
    >,
    private readonly logger: LoggerService,
    private readonly runner?: SchedulerServiceTaskRunner,
  ) {
    this.repository = new LocalGitRepository(settings.localPath, {
      branch: settings.branch,
    });
  }

  private readonly repository: LocalGitRepository;

  getProviderName(): string {
    return 'gitops-repository';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.runner?.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        try {
          await this.refresh();
        } catch (e) {
          // The next run tries again; the catalog keeps what it had.
          this.logger.warn(
            `Could not read the local GitOps repository: ${
              (e as Error).message
            }`,
          );
        }
      },
    });
  }

  /** Emits the repository's catalog files if its branch moved since the last run. */
  async refresh(): Promise<void> {
    if (!this.connection) {
      throw new Error('GitopsRepositoryEntityProvider is not connected');
    }
    const { localPath, branch, appsPath } = this.settings;
    // Cheap when nothing changed: the branch's commit first, the tree only
    // when it moved.
    const head = (await this.repository.headState())?.commit ?? null;
    if (head === this.emittedCommit) return;
    const { commit, files } = await listCommittedCatalogFiles(
      this.repository,
      appsPath,
    );

    await this.connection.applyMutation({
      type: 'full',
      entities: files.map(file => ({
        entity: locationSpecToLocationEntity({
          location: {
            type: 'file',
            target: path.join(localPath, ...file.split('/')),
          },
        }),
        locationKey: this.getProviderName(),
      })),
    });
    this.emittedCommit = commit;
    this.logger.info(
      `Emitted ${files.length} catalog file(s) of ${branch} at ${
        commit ?? 'no commit yet'
      }`,
    );
  }
}
