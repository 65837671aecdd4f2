import type { Entity } from '@backstage/catalog-model';
import {
  ARGOCD_APP_SELECTOR_ANNOTATION,
  HEALTH_STATUSES,
  HealthStatus,
  SYNC_STATUSES,
  SyncStatus,
} from '@goldenpath/plugin-gitops-common';
import type {
  GitopsLiveStateProvider,
  LiveResource,
} from '@goldenpath/plugin-gitops-node';

/** One Argo CD instance from `gitops.argocd.instances`. */
export interface ArgoCdInstanceConfig {
  name: string;
  url: string;
  token: string;
  frontendUrl?: string;
}

// Only what the status view uses; Argo CD trims the answer to these fields.
const FIELDS = [
  'items.metadata.name',
  'items.metadata.namespace',
  'items.metadata.labels',
  'items.spec.destination',
  'items.status.sync.status',
  'items.status.sync.revision',
  'items.status.health.status',
  'items.status.summary.images',
  'items.status.operationState.finishedAt',
  'items.status.reconciledAt',
].join(',');

const oneOf = <T extends string>(value: unknown, allowed: readonly T[]): T =>
  (allowed as readonly unknown[]).includes(value)
    ? (value as T)
    : ('Unknown' as T);

/**
 * Lists the Applications of one Argo CD instance through its REST API
 * (`GET /api/v1/applications`). The token is sent to Argo CD only; it is
 * never part of an error, a log line or a resource.
 */
export class ArgoCdProvider implements GitopsLiveStateProvider {
  readonly id: string;
  readonly displayName: string;
  readonly controller = 'argocd';

  constructor(
    private readonly instance: ArgoCdInstanceConfig,
    readonly pollIntervalMs: number,
    private readonly requestTimeoutMs: number,
  ) {
    this.id = `argocd:${instance.name}`;
    this.displayName = `Argo CD instance "${instance.name}"`;
  }

  selectorFor(entity: Entity): string | undefined {
    return (
      entity.metadata.annotations?.[ARGOCD_APP_SELECTOR_ANNOTATION]?.trim() ||
      undefined
    );
  }

  async list({ signal }: { signal: AbortSignal }): Promise<LiveResource[]> {
    const base = this.instance.url.replace(/\/+$/, '');
    let response: Response;
    try {
      response = await fetch(
        `${base}/api/v1/applications?fields=${encodeURIComponent(FIELDS)}`,
        {
          headers: {
            Authorization: `Bearer ${this.instance.token}`,
            Accept: 'application/json',
          },
          signal: AbortSignal.any([
            signal,
            AbortSignal.timeout(this.requestTimeoutMs),
          ]),
        },
      );
    } catch (e) {
      const error = e as Error;
      if (error.name === 'TimeoutError' || error.name === 'AbortError') {
        throw new Error(`no answer within ${this.requestTimeoutMs} ms`);
      }
      throw new Error(
        `unreachable: ${(error.cause as Error)?.message ?? error.message}`,
      );
    }
    if (!response.ok) {
      throw new Error(
        response.status === 401 || response.status === 403
          ? `refused the token (HTTP ${response.status})`
          : `answered HTTP ${response.status}`,
      );
    }
    let body: any;
    try {
      body = await response.json();
    } catch {
      throw new Error('answered with malformed JSON');
    }
    // Argo CD answers `"items": null` when there are no applications.
    if (
      !body ||
      typeof body !== 'object' ||
      !(body.items === null || Array.isArray(body.items))
    ) {
      throw new Error('answered without an items list');
    }
    return (body.items ?? []).map((app: any) => this.toResource(app));
  }

  private toResource(app: any): LiveResource {
    const name = String(app?.metadata?.name ?? '');
    const namespace = app?.metadata?.namespace
      ? String(app.metadata.namespace)
      : undefined;
    const destination = app?.spec?.destination ?? {};
    const frontend = (this.instance.frontendUrl ?? this.instance.url).replace(
      /\/+$/,
      '',
    );
    return {
      key: `${namespace ?? ''}/${name}`,
      name,
      namespace,
      labels: app?.metadata?.labels ?? {},
      targetNamespace: destination.namespace,
      cluster: destination.name ?? destination.server,
      images: Array.isArray(app?.status?.summary?.images)
        ? app.status.summary.images.map(String)
        : [],
      revision: app?.status?.sync?.revision,
      sync: oneOf<SyncStatus>(app?.status?.sync?.status, SYNC_STATUSES),
      health: oneOf<HealthStatus>(app?.status?.health?.status, HEALTH_STATUSES),
      lastSyncedAt: app?.status?.operationState?.finishedAt ?? undefined,
      url: `${frontend}/applications/${
        namespace ? `${encodeURIComponent(namespace)}/` : ''
      }${encodeURIComponent(name)}`,
    };
  }
}
