import type { Entity } from '@backstage/catalog-model';
import {
  APP_NAME_LABEL,
  fluxReasons,
  fluxStateSince,
  GITOPS_ENVIRONMENT_LABEL,
  HealthStatus,
  KUBERNETES_ID_ANNOTATION,
  SyncStatus,
} from '@goldenpath/plugin-gitops-common';
import type {
  GitopsLiveStateProvider,
  LiveResource,
} from '@goldenpath/plugin-gitops-node';
import type {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { UpstreamError, withoutUserinfo } from '../redact';
import {
  FluxClusterConfig,
  readFluxProviderConfigs,
} from './FluxProviderConfig';
import { providerConfigWarnings, scheduleTimeoutMs } from './providerSchedule';
import type {
  AppsV1Api,
  ConfigurationOptions,
  CustomObjectsApi,
} from '@kubernetes/client-node';

// Loaded when a Flux cluster is configured, not at startup: the Kubernetes
// client takes about half a second and 70 MiB to load.
function kubernetesClient(): typeof import('@kubernetes/client-node') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@kubernetes/client-node');
}

export type { FluxClusterConfig } from './FluxProviderConfig';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

// A page of a list call; the API server hands out `continue` tokens.
const PAGE_SIZE = 500;
// Bounds a poll of a cluster whose API keeps handing out tokens.
const MAX_PAGES = 200;

/** An inventory entry id `<namespace>_<name>_<group>_<kind>`, or undefined. */
function parseInventoryId(entry: unknown) {
  const id = (entry as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') return undefined;
  const parts = id.split('_');
  if (parts.length !== 4 || !parts[1]) return undefined;
  const [namespace, name, group, kind] = parts;
  return { namespace, name, group, kind };
}

/** Flux's Ready condition and spec.suspend, as a health status. Pure. */
export function fluxHealth(
  suspended: boolean,
  conditions: Condition[],
): HealthStatus {
  if (suspended) return 'Suspended';
  const ready = conditions.find(c => c.type === 'Ready');
  if (!ready) return 'Unknown';
  if (ready.status === 'True') return 'Healthy';
  if (ready.status === 'Unknown' || ready.reason === 'Progressing')
    return 'Progressing';
  return 'Degraded';
}

/** Whether the last attempted revision is the one applied. Pure. */
export function fluxSync(status: any): SyncStatus {
  const applied = status?.lastAppliedRevision;
  const attempted = status?.lastAttemptedRevision;
  if (!applied && !attempted) return 'Unknown';
  return applied && applied === attempted ? 'Synced' : 'OutOfSync';
}

/**
 * Lists the `kustomize.toolkit.fluxcd.io/v1` Kustomizations of one cluster
 * that carry the `gitops/environment` label, and the Deployments carrying
 * `app.kubernetes.io/name`, with `@kubernetes/client-node`: page by page
 * (`limit`/`continue`), the whole poll aborted after the schedule's timeout.
 * Errors name the cluster, not its address.
 */
export class FluxProvider implements GitopsLiveStateProvider {
  readonly id: string;
  readonly displayName: string;
  readonly controller = 'flux';
  private readonly custom: CustomObjectsApi;
  private readonly apps: AppsV1Api;
  /** One poll's budget: the schedule's timeout. */
  private readonly requestTimeoutMs: number;

  /**
   * One provider per entry of `gitops.flux.clusters`; warns once about
   * deprecated keys.
   */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): FluxProvider[] {
    const readConfigs = readFluxProviderConfigs(config);
    const providers = readConfigs.map(c => new FluxProvider(c, c.schedule));
    for (const warning of providerConfigWarnings(
      config,
      'gitops.flux',
      'clusters',
      readConfigs,
    )) {
      options.logger.warn(warning);
    }
    return providers;
  }

  constructor(
    private readonly cluster: FluxClusterConfig,
    readonly schedule: SchedulerServiceTaskScheduleDefinition,
    private readonly pageSize = PAGE_SIZE,
  ) {
    this.id = `flux:${cluster.name}`;
    this.displayName = `Flux on cluster "${cluster.name}"`;
    this.requestTimeoutMs = scheduleTimeoutMs(schedule);
    const {
      KubeConfig,
      AppsV1Api: Apps,
      CustomObjectsApi: Custom,
    } = kubernetesClient();
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: cluster.name,
          // A user name or password in the URL is never sent.
          server: withoutUserinfo(cluster.url),
          caData: cluster.caData,
          skipTLSVerify: cluster.skipTLSVerify ?? false,
        },
      ],
      users: [{ name: 'backstage', token: cluster.serviceAccountToken }],
      contexts: [
        { name: cluster.name, cluster: cluster.name, user: 'backstage' },
      ],
      currentContext: cluster.name,
    });
    this.custom = kc.makeApiClient(Custom);
    this.apps = kc.makeApiClient(Apps);
  }

  /**
   * Keyed on `backstage.io/kubernetes-id` only: an entity's bare name is not
   * unique across catalog namespaces, so two `api` components must not share
   * each other's Kustomizations.
   */
  selectorFor(entity: Entity): string | undefined {
    const id = entity.metadata.annotations?.[KUBERNETES_ID_ANNOTATION]?.trim();
    return id ? `${APP_NAME_LABEL}=${id}` : undefined;
  }

  async list({ signal }: { signal: AbortSignal }): Promise<LiveResource[]> {
    const poll = AbortSignal.any([
      signal,
      AbortSignal.timeout(this.requestTimeoutMs),
    ]);
    // The client's middleware answers with its own minimal observable,
    // of which it only calls toPromise.
    const observable = <T>(value: T) =>
      ({ toPromise: () => Promise.resolve(value) } as any);
    const options: ConfigurationOptions = {
      middleware: [
        {
          pre: context => {
            context.setSignal(poll);
            return observable(context);
          },
          post: context => observable(context),
        },
      ],
      middlewareMergeStrategy: 'append',
    };
    let kustomizations: any[];
    let deployments: any[];
    try {
      [kustomizations, deployments] = await Promise.all([
        listPages(_continue =>
          this.custom.listClusterCustomObject(
            {
              group: 'kustomize.toolkit.fluxcd.io',
              version: 'v1',
              plural: 'kustomizations',
              labelSelector: GITOPS_ENVIRONMENT_LABEL,
              limit: this.pageSize,
              _continue,
            },
            options,
          ),
        ),
        listPages(_continue =>
          this.apps.listDeploymentForAllNamespaces(
            { labelSelector: APP_NAME_LABEL, limit: this.pageSize, _continue },
            options,
          ),
        ),
      ]);
    } catch (e) {
      // The scheduler aborts the task when the schedule's timeout passes,
      // which its timer may do just before ours, or when the backend stops.
      if (signal.aborted) {
        throw new Error(
          `aborted: no answer within the schedule's timeout (${this.requestTimeoutMs} ms), or the backend is stopping`,
        );
      }
      if (poll.aborted) {
        throw new Error(`no answer within ${this.requestTimeoutMs} ms`);
      }
      const error = e as Error & { code?: unknown };
      if (error.code === 401 || error.code === 403) {
        throw new Error(
          `refused the service-account token (HTTP ${error.code})`,
        );
      }
      if (typeof error.code === 'number')
        throw new Error(`answered HTTP ${error.code}`);
      if (error.message?.startsWith('answered ')) throw error;
      // Network errors name the host and address: keep the code only.
      const code =
        typeof error.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(error.code)
          ? error.code
          : 'network error';
      throw new UpstreamError(`unreachable (${code})`, error.message);
    }
    const deploymentsById = new Map<string, any>();
    for (const d of deployments) {
      deploymentsById.set(`${d?.metadata?.namespace}_${d?.metadata?.name}`, d);
    }
    return kustomizations
      .filter(k => typeof k?.metadata?.name === 'string' && k.metadata.name)
      .map(k => this.toResource(k, deploymentsById, deployments));
  }

  private toResource(k: any, byId: Map<string, any>, all: any[]): LiveResource {
    const name = String(k.metadata.name);
    const namespace = k?.metadata?.namespace;
    const labels: Record<string, string> = k?.metadata?.labels ?? {};
    // The Deployments it applied: from its inventory when Flux keeps one,
    // else by the app.kubernetes.io/name label the golden path sets.
    // A malformed entry is skipped, not allowed to fail the whole poll.
    const entries = k?.status?.inventory?.entries;
    let applied = (Array.isArray(entries) ? entries : [])
      .map(parseInventoryId)
      .filter(e => e?.group === 'apps' && e.kind === 'Deployment')
      .map(e => byId.get(`${e!.namespace}_${e!.name}`))
      .filter(Boolean);
    if (applied.length === 0 && labels[APP_NAME_LABEL]) {
      applied = all.filter(
        d =>
          d.metadata?.labels?.[APP_NAME_LABEL] === labels[APP_NAME_LABEL] &&
          (!k?.spec?.targetNamespace ||
            d.metadata?.namespace === k.spec.targetNamespace),
      );
    }
    const images = [
      ...new Set<string>(
        applied.flatMap((d: any) =>
          (d.spec?.template?.spec?.containers ?? []).map((c: any) =>
            String(c.image),
          ),
        ),
      ),
    ];
    const conditions: Condition[] = k?.status?.conditions ?? [];
    const ready = conditions.find(c => c.type === 'Ready');
    const since = fluxStateSince(k);
    const reasons = fluxReasons(k);
    return {
      key: `${namespace ?? ''}/${name}`,
      name,
      namespace,
      labels,
      targetNamespace:
        k?.spec?.targetNamespace ?? applied[0]?.metadata?.namespace,
      cluster: this.cluster.name,
      images,
      revision: k?.status?.lastAppliedRevision,
      sync: fluxSync(k?.status),
      health: fluxHealth(Boolean(k?.spec?.suspend), conditions),
      lastSyncedAt: ready?.lastTransitionTime,
      ...(since ? { since } : {}),
      ...(reasons.length ? { reasons } : {}),
    };
  }
}

/** Every item of a paged list call. */
async function listPages(
  page: (continueToken: string | undefined) => Promise<any>,
): Promise<any[]> {
  const items: any[] = [];
  let token: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const answer = await page(token);
    if (!Array.isArray(answer?.items)) {
      throw new Error('answered without an items list');
    }
    items.push(...answer.items);
    const next = answer?.metadata?._continue ?? answer?.metadata?.continue;
    if (!next || next === token) return items;
    token = next;
  }
  throw new Error(`answered more than ${MAX_PAGES} pages`);
}
