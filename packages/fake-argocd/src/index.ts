import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An Argo CD Application as the fake serves it: the fields of
 * `argoproj.io/v1alpha1` Application that status views read.
 */
export interface FakeApplication {
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
  };
  spec: {
    project?: string;
    source?: { repoURL?: string; path?: string; targetRevision?: string };
    destination: { server?: string; name?: string; namespace?: string };
  };
  status: {
    sync: { status: 'Synced' | 'OutOfSync' | 'Unknown'; revision?: string };
    /** `lastTransitionTime` since Argo CD 2.11. */
    health: { status: string; message?: string; lastTransitionTime?: string };
    /** Errors and warnings, e.g. `ComparisonError`, `SyncError`, `OrphanedResourceWarning`. */
    conditions?: FakeCondition[];
    /** The objects the Application deploys, with their health. */
    resources?: FakeResourceStatus[];
    summary?: { images?: string[] };
    operationState?: {
      /** `Running`, `Succeeded`, `Failed`, `Error` or `Terminating`. */
      phase?: string;
      message?: string;
      finishedAt?: string;
      startedAt?: string;
    };
    reconciledAt?: string;
  };
}

/** An Application condition (`status.conditions[]`). */
export interface FakeCondition {
  type: string;
  message: string;
  lastTransitionTime?: string;
}

/** One object of `status.resources[]`. */
export interface FakeResourceStatus {
  group?: string;
  version: string;
  kind: string;
  namespace?: string;
  name: string;
  status?: 'Synced' | 'OutOfSync' | 'Unknown';
  health?: { status: string; message?: string };
}

/** How the fake misbehaves, for fault tests. */
export type FakeFault =
  | 'none'
  | 'hang'
  | 'http500'
  | 'unauthorized'
  | 'malformed';

export interface FakeArgoCd {
  url: string;
  /** Requests received, by path, since start or the last reset. */
  requests: Array<{
    method: string;
    path: string;
    query: Record<string, string>;
  }>;
  /** Most requests that were ever in progress at once. */
  maxConcurrent(): number;
  /**
   * Resolves once `count` requests have been received since start or the
   * last reset, so tests wait for polls instead of sleeping.
   */
  waitForRequests(count: number): Promise<void>;
  setApplications(apps: FakeApplication[]): void;
  setFault(fault: FakeFault): void;
  setLatency(ms: number): void;
  resetRequests(): void;
  close(): Promise<void>;
}

// Keeps only the listed dotted paths (the `fields` query parameter), as
// Argo CD does to trim list answers.
function trim(value: any, paths: string[][]): any {
  if (paths.some(p => p.length === 0)) return value;
  if (Array.isArray(value)) return value.map(v => trim(v, paths));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const rest = paths.filter(p => p[0] === key).map(p => p.slice(1));
    if (rest.length > 0) out[key] = trim(value[key], rest);
  }
  return out;
}

function matchesSelector(
  labels: Record<string, string> = {},
  selector: string,
) {
  return selector
    .split(',')
    .map(s => s.trim())
    .filter(Boolean)
    .every(req => {
      const [key, value] = req.split(/!=|==?/);
      if (req.includes('!=')) return labels[key] !== value;
      if (value === undefined) return key in labels;
      return labels[key] === value;
    });
}

/**
 * Starts a server answering like the Argo CD API server for
 * `GET /api/v1/applications` (with `selector`, `fields`, `name` and
 * `projects`), `GET /api/v1/applications/{name}` and `POST /api/v1/session`,
 * requiring `Authorization: Bearer <token>` (or the `argocd.token` cookie).
 */
export async function startFakeArgoCd(options: {
  token: string;
  applications?: FakeApplication[];
  latencyMs?: number;
  port?: number;
  username?: string;
  password?: string;
}): Promise<FakeArgoCd> {
  let apps: FakeApplication[] = [];
  // Applications by `key=value` label, as Argo CD's informer cache answers a
  // selector without scanning every Application.
  let byLabel = new Map<string, FakeApplication[]>();
  const setApps = (next: FakeApplication[]) => {
    apps = next;
    byLabel = new Map();
    for (const app of next) {
      for (const [k, v] of Object.entries(app.metadata.labels ?? {})) {
        const list = byLabel.get(`${k}=${v}`);
        if (list) list.push(app);
        else byLabel.set(`${k}=${v}`, [app]);
      }
    }
  };
  setApps(options.applications ?? []);
  let fault: FakeFault = 'none';
  let latency = options.latencyMs ?? 0;
  const requests: FakeArgoCd['requests'] = [];
  const hanging = new Set<http.ServerResponse>();
  let inFlight = 0;
  let maxInFlight = 0;
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const wakeWaiters = () => {
    for (const w of [...waiters]) {
      if (requests.length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
    });
    wakeWaiters();
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const send = (status: number, body: unknown) => {
      setTimeout(() => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      }, latency);
    };

    if (req.method === 'POST' && url.pathname === '/api/v1/session') {
      let raw = '';
      req.on('data', c => (raw += c));
      req.on('end', () => {
        const body = JSON.parse(raw || '{}');
        if (
          body.username === (options.username ?? 'admin') &&
          body.password === (options.password ?? 'password')
        ) {
          send(200, { token: options.token });
        } else {
          send(401, {
            error: 'Invalid username or password',
            code: 16,
            message: 'Invalid username or password',
          });
        }
      });
      return;
    }

    const auth = req.headers.authorization ?? '';
    const cookie = /argocd\.token=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    if (
      fault === 'unauthorized' ||
      (auth !== `Bearer ${options.token}` && cookie !== options.token)
    ) {
      send(401, {
        error: 'no session information',
        code: 16,
        message: 'no session information',
      });
      return;
    }
    if (fault === 'hang') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (fault === 'http500') {
      send(500, {
        error: 'internal error',
        code: 13,
        message: 'internal error',
      });
      return;
    }
    if (fault === 'malformed') {
      setTimeout(() => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"items": [');
      }, latency);
      return;
    }

    if (req.method === 'GET' && url.pathname === '/api/v1/applications') {
      const selector = url.searchParams.get('selector');
      const name = url.searchParams.get('name');
      const projects = url.searchParams.getAll('projects');
      const equality = selector
        ?.split(',')
        .map(r => r.trim())
        .find(r => /^[^!=]+==?[^=]*$/.test(r))
        ?.replace('==', '=');
      const candidates = equality ? byLabel.get(equality) ?? [] : apps;
      let items = candidates.filter(
        a =>
          (!selector || matchesSelector(a.metadata.labels, selector)) &&
          (!name || a.metadata.name === name) &&
          (projects.length === 0 ||
            projects.includes(a.spec.project ?? 'default')),
      );
      const body: any = {
        metadata: { resourceVersion: '1' },
        items: items.length ? items : null,
      };
      const fields = url.searchParams.get('fields');
      if (fields) {
        const paths = fields.split(',').map(f => f.trim().split('.'));
        const itemPaths = paths
          .filter(p => p[0] === 'items')
          .map(p => p.slice(1));
        items = itemPaths.length ? trim(items, itemPaths) : items;
        body.items = items.length ? items : null;
      }
      send(200, body);
      return;
    }
    const single = /^\/api\/v1\/applications\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && single) {
      const app = apps.find(
        a => a.metadata.name === decodeURIComponent(single[1]),
      );
      if (app) send(200, app);
      else
        send(404, {
          error: `applications.argoproj.io "${single[1]}" not found`,
          code: 5,
          message: `applications.argoproj.io "${single[1]}" not found`,
        });
      return;
    }
    send(404, { error: 'Not Found', code: 5, message: 'Not Found' });
  });

  await new Promise<void>(resolve =>
    server.listen(options.port ?? 0, '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    maxConcurrent: () => maxInFlight,
    waitForRequests: count =>
      new Promise<void>(resolve => {
        waiters.push({ count, resolve });
        wakeWaiters();
      }),
    setApplications: setApps,
    setFault: next => {
      fault = next;
      if (next !== 'hang') {
        for (const res of hanging) res.destroy();
      }
    },
    setLatency: ms => (latency = ms),
    resetRequests: () => requests.splice(0, requests.length),
    close: () =>
      new Promise(resolve => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Builds an Application the way the golden path names and labels them. */
export function fakeApplication(options: {
  service: string;
  environment: string;
  namespace?: string;
  images: string[];
  sync?: 'Synced' | 'OutOfSync' | 'Unknown';
  health?: string;
  revision?: string;
  finishedAt?: string;
  extraLabels?: Record<string, string>;
  /** Argo CD's words and times, as its API gives them. */
  healthMessage?: string;
  healthSince?: string;
  conditions?: FakeCondition[];
  resources?: FakeResourceStatus[];
  operation?: { phase: string; message?: string; finishedAt?: string };
}): FakeApplication {
  return {
    metadata: {
      name: `${options.service}-${options.environment}`,
      namespace: 'argocd',
      labels: {
        'app.kubernetes.io/name': options.service,
        'gitops/environment': options.environment,
        ...options.extraLabels,
      },
    },
    spec: {
      project: 'default',
      source: {
        path: `apps/${options.service}/overlays/${options.environment}`,
        targetRevision: 'main',
      },
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace:
          options.namespace ?? `${options.service}-${options.environment}`,
      },
    },
    status: {
      sync: {
        status: options.sync ?? 'Synced',
        revision:
          options.revision ?? '4f2a9c1d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b',
      },
      health: {
        status: options.health ?? 'Healthy',
        ...(options.healthMessage ? { message: options.healthMessage } : {}),
        ...(options.healthSince
          ? { lastTransitionTime: options.healthSince }
          : {}),
      },
      ...(options.conditions ? { conditions: options.conditions } : {}),
      ...(options.resources ? { resources: options.resources } : {}),
      summary: { images: options.images },
      operationState: {
        phase: options.operation?.phase ?? 'Succeeded',
        ...(options.operation?.message
          ? { message: options.operation.message }
          : {}),
        finishedAt:
          options.operation?.finishedAt ??
          options.finishedAt ??
          '2026-11-22T09:00:00Z',
      },
    },
  };
}

export { GitFollower, followGitopsRepository, readScenario } from './followGit';
export type { ScenarioEntry } from './followGit';
