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
import { IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
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

/** Argo CD answered, but not what a listing may be: said as it is. */
class AnswerError extends Error {}

/**
 * Reads `{"items": [...]}` as it arrives, handing each item to `onItem`
 * and dropping it: a poll never holds the whole answer, only what
 * `onItem` keeps. At most `maxBytes` are read (after decompression); a
 * larger answer is refused without being held.
 */
async function streamItems(
  response: IncomingMessage,
  maxBytes: number,
  onItem: (item: unknown) => void,
): Promise<void> {
  const tooLarge = () =>
    new AnswerError(
      `answered more than ${maxBytes} bytes (gitops.argocd.maxResponseBytes); the answer was not read`,
    );
  const length = Number(response.headers['content-length']);
  const encoding = response.headers['content-encoding'];
  if (encoding && encoding !== 'gzip' && encoding !== 'identity') {
    response.destroy();
    throw new AnswerError(
      `answered in an encoding not asked for (${encoding})`,
    );
  }
  if (!encoding && Number.isFinite(length) && length > maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  // pipeline, not pipe: an aborted or failed answer fails the inflater too.
  const body: Readable =
    encoding === 'gzip'
      ? pipeline(response, createGunzip(), () => {})
      : response;
  const reader = new JsonItemsReader(onItem);
  let total = 0;
  try {
    for await (const chunk of body) {
      total += (chunk as Buffer).byteLength;
      if (total > maxBytes) throw tooLarge();
      reader.write(chunk as Buffer);
    }
  } catch (e) {
    if (/^Z_/.test(String((e as { code?: unknown }).code))) {
      throw new AnswerError('answered with a malformed gzip body');
    }
    throw e;
  } finally {
    if (!response.complete) response.destroy();
    if (body !== response) body.destroy();
  }
  reader.end();
}

/**
 * GET `url` with Node's own HTTP client: its parser is native, where
 * `fetch` (undici) compiles a WebAssembly one, which costs a process about
 * 10 MiB the first time it is used.
 */
function get(
  url: URL,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      { method: 'GET', headers, signal },
      resolve,
    );
    request.on('error', reject);
    request.end();
  });
}

/**
 * A network failure as its code only, for responses: messages name hosts
 * and addresses. The message goes to the log, redacted.
 */
function networkFailure(error: Error): UpstreamError {
  const cause = (error.cause ?? error) as {
    code?: unknown;
    message?: unknown;
  };
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
    const deadline = AbortSignal.any([
      signal,
      AbortSignal.timeout(this.requestTimeoutMs),
    ]);
    let response: IncomingMessage;
    try {
      response = await get(
        new URL(
          `${base}/api/v1/applications?fields=${encodeURIComponent(FIELDS)}`,
        ),
        {
          Authorization: `Bearer ${this.instance.token}`,
          Accept: 'application/json',
          'Accept-Encoding': 'gzip',
        },
        deadline,
      );
    } catch (e) {
      const error = e as Error;
      if (error.name === 'TimeoutError' || error.name === 'AbortError') {
        throw new Error(`no answer within ${this.requestTimeoutMs} ms`);
      }
      throw networkFailure(error);
    }
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      response.destroy();
      throw new Error(
        status === 401 || status === 403
          ? `refused the token (HTTP ${status})`
          : `answered HTTP ${status}`,
      );
    }
    const resources: LiveResource[] = [];
    try {
      await streamItems(response, this.maxResponseBytes, app =>
        resources.push(this.toResource(app)),
      );
    } catch (e) {
      const error = e as Error;
      if (
        error.name === 'TimeoutError' ||
        error.name === 'AbortError' ||
        deadline.aborted
      ) {
        throw new Error(`no answer within ${this.requestTimeoutMs} ms`);
      }
      if (error instanceof MalformedListError || error instanceof AnswerError) {
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
