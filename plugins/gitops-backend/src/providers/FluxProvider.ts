import type { Entity } from '@backstage/catalog-model';
import {
  APP_NAME_LABEL,
  HealthStatus,
  KUBERNETES_ID_ANNOTATION,
  SyncStatus,
} from '@goldenpath/plugin-gitops-common';
import type {
  GitopsLiveStateProvider,
  LiveResource,
} from '@goldenpath/plugin-gitops-node';
import type { AppsV1Api, CustomObjectsApi } from '@kubernetes/client-node';

// Loaded when a Flux cluster is configured, not at startup: the Kubernetes
// client takes about half a second and 70 MiB to load.
function kubernetesClient(): typeof import('@kubernetes/client-node') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@kubernetes/client-node');
}

/** One cluster from `gitops.flux.clusters`. */
export interface FluxClusterConfig {
  name: string;
  url: string;
  serviceAccountToken: string;
  caData?: string;
  skipTLSVerify?: boolean;
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  lastTransitionTime?: string;
}

function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  signal: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no answer within ${ms} ms`)),
      ms,
    );
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
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
 * and the Deployments they applied, with `@kubernetes/client-node`.
 */
export class FluxProvider implements GitopsLiveStateProvider {
  readonly id: string;
  readonly displayName: string;
  readonly controller = 'flux';
  private readonly custom: CustomObjectsApi;
  private readonly apps: AppsV1Api;

  constructor(
    private readonly cluster: FluxClusterConfig,
    readonly pollIntervalMs: number,
    private readonly requestTimeoutMs: number,
  ) {
    this.id = `flux:${cluster.name}`;
    this.displayName = `Flux on cluster "${cluster.name}"`;
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
          server: cluster.url,
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

  selectorFor(entity: Entity): string | undefined {
    const id =
      entity.metadata.annotations?.[KUBERNETES_ID_ANNOTATION] ??
      entity.metadata.name;
    return `${APP_NAME_LABEL}=${id}`;
  }

  async list({ signal }: { signal: AbortSignal }): Promise<LiveResource[]> {
    let kustomizations: any;
    let deployments: any;
    try {
      [kustomizations, deployments] = await withTimeout(
        Promise.all([
          this.custom.listClusterCustomObject({
            group: 'kustomize.toolkit.fluxcd.io',
            version: 'v1',
            plural: 'kustomizations',
          }),
          this.apps.listDeploymentForAllNamespaces(),
        ]),
        this.requestTimeoutMs,
        signal,
      );
    } catch (e) {
      const error = e as Error & { code?: number };
      if (error.code === 401 || error.code === 403) {
        throw new Error(
          `refused the service-account token (HTTP ${error.code})`,
        );
      }
      if (typeof error.code === 'number')
        throw new Error(`answered HTTP ${error.code}`);
      throw new Error(
        error.message.startsWith('no answer')
          ? error.message
          : `unreachable: ${error.message}`,
      );
    }
    if (
      !Array.isArray(kustomizations?.items) ||
      !Array.isArray(deployments?.items)
    ) {
      throw new Error('answered without an items list');
    }
    const deploymentsById = new Map<string, any>();
    for (const d of deployments.items) {
      deploymentsById.set(`${d.metadata?.namespace}_${d.metadata?.name}`, d);
    }
    return kustomizations.items.map((k: any) =>
      this.toResource(k, deploymentsById, deployments.items),
    );
  }

  private toResource(k: any, byId: Map<string, any>, all: any[]): LiveResource {
    const name = String(k?.metadata?.name ?? '');
    const namespace = k?.metadata?.namespace;
    const labels: Record<string, string> = k?.metadata?.labels ?? {};
    // The Deployments it applied: from its inventory when Flux keeps one,
    // else by the app.kubernetes.io/name label the golden path sets.
    const inventory: Array<{ id: string }> =
      k?.status?.inventory?.entries ?? [];
    let applied = inventory
      .map(e => e.id.split('_'))
      .filter(([, , group, kind]) => group === 'apps' && kind === 'Deployment')
      .map(([ns, depName]) => byId.get(`${ns}_${depName}`))
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
    };
  }
}
