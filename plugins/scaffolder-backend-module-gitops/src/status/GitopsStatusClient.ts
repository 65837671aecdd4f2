import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type {
  EntityEnvironmentsResponse,
  EnvironmentHistoryResponse,
} from '@goldenpath/plugin-gitops-common';

/** What a promotion reads of the GitOps backend's status API. */
export interface GitopsStatusReader {
  environments(
    entity: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<EntityEnvironmentsResponse>;
  history(
    entity: CompoundEntityRef,
    environment: string,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentHistoryResponse>;
}

/**
 * Reads the GitOps backend's status API on behalf of a user, so the
 * backend's own permission checks apply to the promotion's gate as they do
 * to the user's views.
 */
export class GitopsStatusClient implements GitopsStatusReader {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  environments(
    entity: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<EntityEnvironmentsResponse> {
    return this.get(`${this.entityPath(entity)}/environments`, credentials);
  }

  history(
    entity: CompoundEntityRef,
    environment: string,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentHistoryResponse> {
    return this.get(
      `${this.entityPath(entity)}/environments/${encodeURIComponent(
        environment,
      )}/history`,
      credentials,
    );
  }

  private entityPath(entity: CompoundEntityRef) {
    return `/v1/entities/${[entity.namespace, entity.kind, entity.name]
      .map(encodeURIComponent)
      .join('/')}`;
  }

  private async get<T>(
    path: string,
    credentials: BackstageCredentials,
  ): Promise<T> {
    const baseUrl = await this.discovery.getBaseUrl('gitops');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'gitops',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
