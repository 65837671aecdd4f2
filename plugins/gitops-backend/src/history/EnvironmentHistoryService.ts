import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import type { EnvironmentHistoryResponse } from '@goldenpath/plugin-gitops-common';
import type { PlatformProfile } from '@goldenpath/plugin-gitops-node';
import { databaseErrorCode } from '../redact';
import type { GitopsStatusService } from '../status/GitopsStatusService';
import { historyItems } from './historyItems';
import {
  DEFAULT_HISTORY_LIMIT,
  HistoryRun,
  HistoryStore,
} from './HistoryStore';

const quote = (value: string) =>
  JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);

/**
 * Answers the history of an entity's environment: its resources as the
 * status join matches them (same catalog, permission and annotation
 * checks), then their runs from the database. No upstream call.
 */
export class EnvironmentHistoryService {
  constructor(
    private readonly options: {
      status: GitopsStatusService;
      store: HistoryStore;
      profile: PlatformProfile;
      logger: LoggerService;
      limit?: number;
    },
  ) {}

  async get(
    entityRef: string,
    environment: string,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentHistoryResponse> {
    const names = this.options.profile.environments.map(e => e.name);
    if (!names.includes(environment)) {
      throw new InputError(
        `environment: ${quote(
          environment,
        )} is not an environment of the platform profile (one of: ${names.join(
          ', ',
        )})`,
      );
    }
    const target = await this.options.status.getEnvironmentResources(
      entityRef,
      environment,
      credentials,
    );
    if (target.reason) {
      return {
        items: [],
        reason: target.reason,
        ...(target.problems ? { problems: target.problems } : {}),
      };
    }
    let runs: HistoryRun[][];
    try {
      runs = await Promise.all(
        target.resources.map(r =>
          this.options.store.list(r.providerId, r.resourceKey),
        ),
      );
    } catch (e) {
      // The driver's message names hosts and users: its code only.
      this.options.logger.warn(
        `GitOps history: the database did not answer (${databaseErrorCode(e)})`,
      );
      throw new ServiceUnavailableError(
        'The GitOps status database did not answer; the history is unavailable',
      );
    }
    return {
      items: historyItems(
        runs,
        target.desiredImage,
        this.options.limit ?? DEFAULT_HISTORY_LIMIT,
      ),
    };
  }
}
