import type { Entity } from '@backstage/catalog-model';
import {
  argoCdReasons,
  argoCdStateSince,
  getArgocdAppSelector,
  HEALTH_STATUSES,
  HealthStatus,
  SYNC_STATUSES,
  SyncStatus,
} from '@goldenpath/plugin-gitops-common';
import type {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type {
  GitopsLiveStateProvider,
  LiveResource,
} from '@goldenpath/plugin-gitops-node';
import { UpstreamError, withoutUserinfo } from '../redact';
import { JsonItemsReader, MalformedListError } from './jsonItems';
import {
  ArgoCdInstanceConfig,
  DEFAULT_ARGOCD_MAX_RESPONSE_BYTES,
  readArgoCdProviderConfigs,
} from './ArgoCdProviderConfig';
import { providerConfigWarnings, scheduleTimeoutMs } from './providerSchedule';

export type { ArgoCdInstanceConfig } from './ArgoCdProviderConfig';
export { DEFAULT_ARGOCD_MAX_RESPONSE_BYTES } from './ArgoCdProviderConfig';

// Only what the status view uses; Argo CD trims the answer to these fields.
const FIELDS = [
  'items.metadata.name',
  'items.metadata.namespace',
  'items.metadata.labels',
  'items.spec.destination',
  'items.status.sync.status',
  'items.status.sync.revision',
  // status, message and lastTransitionTime
  'items.status.health',
  'items.status.conditions',
  // Each object's kind, name and health message, for the reasons.
  'items.status.resources',
  'items.status.summary.images',
  'items.status.operationState.phase',
  'items.status.operationState.message',
  'items.status.operationState.finishedAt',
  'items.status.reconciledAt',
].join(',');

const oneOf = <T extends string>(value: unknown, allowed: readonly T[]): T =>
  (allowed as readonly unknown[]).includes(value)
    ? (value as T)
    : ('Unknown' as T);

/**
 * Reads `{"items": [...]}` as it arrives, handing each item to `onItem`
 * and dropping it: a poll never holds the whole answer, only what
 * `onItem` keeps. At most `maxBytes` are read; a larger answer is refused
 * without being held.
 */
async function streamItems(
  response: Response,
  maxBytes: number,
  onItem: (item: unknown) => void,
): Promise<void> {
  const tooLarge = () =>
    new Error(
      `answered more than ${maxBytes} bytes (gitops.argocd.maxResponseBytes); the answer was not read`,
    );
  const length = Number(response.headers.get('content-length'));
  if (Number.isFinite(length) && length > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  const reader = new JsonItemsReader(onItem);
  let total = 0;
  if (response.body) {
    const body = response.body.getReader();
    for (;;) {
      const { done, value } = await body.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await body.cancel().catch(() => {});
        throw tooLarge();
      }
      try {
        reader.write(value);
      } catch (e) {
        await body.cancel().catch(() => {});
        throw e;
      }
    }
  }
  reader.end();
}

/**
 * A network failure as its code only, for responses: messages name hosts
 * and addresses. The message goes to the log, redacted.
 */
function networkFailure(error: Error): UpstreamError {
  const cause = error.cause as
    | { code?: unknown; message?: unknown }
    | undefined;
  const code =
    typeof cause?.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(cause.code)
      ? cause.code
      : undefined;
  return new UpstreamError(
    `unreachable (${code ?? 'network error'})`,
    String(cause?.message ?? error.message),
  );
}

/**
 * Lists the Applications of one Argo CD instance through its REST API
 * (`GET /api/v1/applications`). The token is sent to Argo CD only; it is
 * never part of an error, a log line or a resource. User name and password
 * in the instance URL are never sent nor shown; errors name the instance,
 * not its address.
 */
export class ArgoCdProvider implements GitopsLiveStateProvider {
  readonly id: string;
  readonly displayName: string;
  readonly controller = 'argocd';
  /** One poll's budget: the schedule's timeout. */
  private readonly requestTimeoutMs: number;

  /**
   * One provider per entry of `gitops.argocd.instances`; warns once about
   * deprecated keys.
   */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): ArgoCdProvider[] {
    const readConfigs = readArgoCdProviderConfigs(config);
    const providers = readConfigs.map(
      c => new ArgoCdProvider(c, c.schedule, c.maxResponseBytes),
    );
    for (const warning of providerConfigWarnings(
      config,
      'gitops.argocd',
      'instances',
      readConfigs,
    )) {
      options.logger.warn(warning);
    }
    return providers;
  }

  constructor(
    private readonly instance: ArgoCdInstanceConfig,
    readonly schedule: SchedulerServiceTaskScheduleDefinition,
    private readonly maxResponseBytes = DEFAULT_ARGOCD_MAX_RESPONSE_BYTES,
  ) {
    this.id = `argocd:${instance.name}`;
    this.displayName = `Argo CD instance "${instance.name}"`;
    this.requestTimeoutMs = scheduleTimeoutMs(schedule);
  }

  selectorFor(entity: Entity): string | undefined {
    return getArgocdAppSelector(entity);
  }

  async list({ signal }: { signal: AbortSignal }): Promise<LiveResource[]> {
    const base = withoutUserinfo(this.instance.url).replace(/\/+$/, '');
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
      throw networkFailure(error);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new Error(
        response.status === 401 || response.status === 403
          ? `refused the token (HTTP ${response.status})`
          : `answered HTTP ${response.status}`,
      );
    }
    const resources: LiveResource[] = [];
    try {
      await streamItems(response, this.maxResponseBytes, app =>
        resources.push(this.toResource(app)),
      );
    } catch (e) {
      const error = e as Error;
      if (error.name === 'TimeoutError' || error.name === 'AbortError') {
        throw new Error(`no answer within ${this.requestTimeoutMs} ms`);
      }
      if (
        error instanceof MalformedListError ||
        error.message.startsWith('answered more than')
      ) {
        throw error;
      }
      throw networkFailure(error);
    }
    return resources;
  }

  private toResource(app: any): LiveResource {
    const name = String(app?.metadata?.name ?? '');
    const namespace = app?.metadata?.namespace
      ? String(app.metadata.namespace)
      : undefined;
    const destination = app?.spec?.destination ?? {};
    const reasons = argoCdReasons(app);
    const since = argoCdStateSince(app);
    const frontend = withoutUserinfo(
      this.instance.frontendUrl ?? this.instance.url,
    ).replace(/\/+$/, '');
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
      ...(since ? { since } : {}),
      ...(reasons.length ? { reasons } : {}),
      url: `${frontend}/applications/${
        namespace ? `${encodeURIComponent(namespace)}/` : ''
      }${encodeURIComponent(name)}`,
    };
  }
}
