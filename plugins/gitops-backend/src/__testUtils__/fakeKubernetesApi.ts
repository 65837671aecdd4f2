import http from 'node:http';
import type { AddressInfo } from 'node:net';

// Equality and existence requirements, as the provider sends them.
function matches(labels: Record<string, string> = {}, selector: string | null) {
  if (!selector) return true;
  return selector.split(',').every(req => {
    const [key, value] = req.split('=');
    return value === undefined ? key in labels : labels[key] === value;
  });
}

/**
 * A fake Kubernetes API server for tests: answers the two list calls the
 * Flux provider makes, with the API's List and Status shapes, `labelSelector`
 * and paging (`limit`, `continue`), and requires the bearer token.
 */
export async function startFakeKubernetesApi(options: {
  token: string;
  kustomizations: object[];
  deployments: object[];
  /** Delay before each answer. */
  latencyMs?: number;
}) {
  const requests: Array<{ path: string; query: Record<string, string> }> = [];
  let status = 200;
  let latency = options.latencyMs ?? 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
    });
    const send = (code: number, body: object) => {
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      }, latency);
    };
    const list = (kind: string, apiVersion: string, all: any[]) => {
      const selected = all.filter(o =>
        matches(o.metadata?.labels, url.searchParams.get('labelSelector')),
      );
      const limit = Number(url.searchParams.get('limit')) || selected.length;
      const from = Number(url.searchParams.get('continue') || 0);
      const next = from + limit;
      send(200, {
        apiVersion,
        kind,
        metadata: {
          resourceVersion: '1',
          ...(next < selected.length ? { continue: String(next) } : {}),
        },
        items: selected.slice(from, next),
      });
    };
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      send(401, {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
      return;
    }
    if (status !== 200) {
      send(status, {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        message: 'boom',
        code: status,
      });
      return;
    }
    if (
      url.pathname === '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations'
    ) {
      list(
        'KustomizationList',
        'kustomize.toolkit.fluxcd.io/v1',
        options.kustomizations,
      );
      return;
    }
    if (url.pathname === '/apis/apps/v1/deployments') {
      list('DeploymentList', 'apps/v1', options.deployments);
      return;
    }
    send(404, {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    setStatus: (code: number) => (status = code),
    setLatency: (ms: number) => (latency = ms),
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function kustomization(options: {
  name: string;
  environment: string;
  ready: 'True' | 'False' | 'Unknown';
  reason?: string;
  applied?: string;
  attempted?: string;
  suspend?: boolean;
  inventory?: string[];
}) {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: {
      name: `${options.name}-${options.environment}`,
      namespace: 'flux-system',
      labels: {
        'app.kubernetes.io/name': options.name,
        'gitops/environment': options.environment,
      },
    },
    spec: {
      interval: '5m',
      path: `./apps/${options.name}/overlays/${options.environment}`,
      prune: true,
      suspend: options.suspend ?? false,
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
    },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: options.ready,
          reason: options.reason ?? 'ReconciliationSucceeded',
          lastTransitionTime: '2026-11-22T10:42:00Z',
          message: '',
        },
      ],
      lastAppliedRevision: options.applied,
      lastAttemptedRevision: options.attempted ?? options.applied,
      ...(options.inventory
        ? {
            inventory: {
              entries: options.inventory.map(id => ({ id, v: 'v1' })),
            },
          }
        : {}),
    },
  };
}

export function deployment(name: string, namespace: string, image: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/name': name } },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: { spec: { containers: [{ name, image }] } },
    },
  };
}
