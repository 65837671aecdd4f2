import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  EntityEnvironmentsResponse,
  EnvironmentHistoryResponse,
  EnvironmentsQueryResponse,
  EnvironmentsQueryView,
} from '@goldenpath/plugin-gitops-common';
import { MAX_QUERY_ENTITY_REFS } from '@goldenpath/plugin-gitops-common';
import type { GitopsApi, GitopsProfile } from './GitopsApi';

function entityPath(entity: CompoundEntityRef) {
  return [entity.namespace, entity.kind, entity.name]
    .map(encodeURIComponent)
    .join('/');
}

/**
 * Talks to the GitOps backend through Backstage's discovery and fetch APIs,
 * which carry the user's credentials: the client handles no token itself.
 *
 * @public
 */
export class GitopsClient implements GitopsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getProfile(): Promise<GitopsProfile> {
    return this.request('/v1/profile');
  }

  async getEntityEnvironments(
    entity: CompoundEntityRef,
  ): Promise<EntityEnvironmentsResponse> {
    return this.request(`/v1/entities/${entityPath(entity)}/environments`);
  }

  async getEnvironmentHistory(
    entity: CompoundEntityRef,
    environment: string,
  ): Promise<EnvironmentHistoryResponse> {
    return this.request(
      `/v1/entities/${entityPath(entity)}/environments/${encodeURIComponent(
        environment,
      )}/history`,
    );
  }

  async queryEnvironments(
    entityRefs: string[],
    options?: { view?: EnvironmentsQueryView },
  ): Promise<EnvironmentsQueryResponse> {
    // The backend takes at most MAX_QUERY_ENTITY_REFS per call; larger teams
    // are asked for in chunks, in parallel.
    const chunks: string[][] = [];
    for (let i = 0; i < entityRefs.length; i += MAX_QUERY_ENTITY_REFS) {
      chunks.push(entityRefs.slice(i, i + MAX_QUERY_ENTITY_REFS));
    }
    const responses = await Promise.all(
      chunks.map(chunk =>
        this.request<EnvironmentsQueryResponse>('/v1/environments/query', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ entityRefs: chunk, view: options?.view }),
        }),
      ),
    );
    return { items: responses.flatMap(r => r.items) };
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('gitops');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
