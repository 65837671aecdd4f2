import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
// The provider loads the Kubernetes client on first use; load it with the
// test file so that its (slow, transpiled) first load is not timed as a test.
import '@kubernetes/client-node';
import {
  deployment,
  kustomization,
  startFakeKubernetesApi,
} from '../__testUtils__/fakeKubernetesApi';
import { FluxProvider, fluxHealth, fluxSync } from './FluxProvider';
// Kustomization payloads as the Kubernetes API returns them, shared with the
// common package's tests of the pure mapping.
const fixture = (name: string) =>
  JSON.parse(
    fs.readFileSync(
      resolvePackagePath(
        '@goldenpath/plugin-gitops-common',
        `src/__fixtures__/${name}.json`,
      ),
      'utf8',
    ),
  );
const healthCheckFailed = fixture('flux-kustomization-health-check-failed');
const stalled = fixture('flux-kustomization-stalled');
const ready = fixture('flux-kustomization-ready');

describe('fluxHealth and fluxSync', () => {
  it.each([
    [false, [{ type: 'Ready', status: 'True' }], 'Healthy'],
    [
      false,
      [{ type: 'Ready', status: 'False', reason: 'HealthCheckFailed' }],
      'Degraded',
    ],
    [
      false,
      [{ type: 'Ready', status: 'Unknown', reason: 'Progressing' }],
      'Progressing',
    ],
    [
      false,
      [{ type: 'Ready', status: 'False', reason: 'Progressing' }],
      'Progressing',
    ],
    [true, [{ type: 'Ready', status: 'True' }], 'Suspended'],
    [false, [], 'Unknown'],
  ])('suspend %s, %j -> %s', (suspended, conditions, health) => {
    expect(fluxHealth(suspended, conditions)).toBe(health);
  });
  it('compares the applied and attempted revisions', () => {
    expect(
      fluxSync({
        lastAppliedRevision: 'main@sha1:a',
        lastAttemptedRevision: 'main@sha1:a',
      }),
    ).toBe('Synced');
    expect(
      fluxSync({
        lastAppliedRevision: 'main@sha1:a',
        lastAttemptedRevision: 'main@sha1:b',
      }),
    ).toBe('OutOfSync');
    expect(fluxSync({})).toBe('Unknown');
  });
});

describe('FluxProvider against a fake Kubernetes API', () => {
  it('lists Kustomizations with the images of the Deployments they applied', async () => {
    const api = await startFakeKubernetesApi({
      token: 'sa-token-secret',
      kustomizations: [
        kustomization({
          name: 'svc',
          environment: 'staging',
          ready: 'True',
          applied: 'main@sha1:abc',
          inventory: [
            'svc-staging_svc_apps_Deployment',
            'svc-staging_svc__Service',
          ],
        }),
        kustomization({
          name: 'svc',
          environment: 'production',
          ready: 'False',
          reason: 'HealthCheckFailed',
          applied: 'main@sha1:abc',
          attempted: 'main@sha1:def',
        }),
      ],
      deployments: [
        deployment('svc', 'svc-staging', 'registry.example.com/svc:latest'),
        deployment('svc', 'svc-production', 'registry.example.com/svc:v1.0.0'),
      ],
    });
    try {
      const provider = new FluxProvider(
        {
          name: 'eu-1',
          url: api.url,
          serviceAccountToken: 'sa-token-secret',
          skipTLSVerify: true,
        },
        { frequency: { seconds: 30 }, timeout: { milliseconds: 2_000 } },
      );
      const resources = await provider.list({
        signal: new AbortController().signal,
      });
      expect(resources).toEqual([
        expect.objectContaining({
          key: 'flux-system/svc-staging',
          labels: {
            'app.kubernetes.io/name': 'svc',
            'gitops/environment': 'staging',
          },
          images: ['registry.example.com/svc:latest'],
          targetNamespace: 'svc-staging',
          cluster: 'eu-1',
          sync: 'Synced',
          health: 'Healthy',
          revision: 'main@sha1:abc',
          lastSyncedAt: '2026-11-22T10:42:00Z',
        }),
        expect.objectContaining({
          key: 'flux-system/svc-production',
          // No inventory: found by the app.kubernetes.io/name label.
          images: [
            'registry.example.com/svc:latest',
            'registry.example.com/svc:v1.0.0',
          ],
          sync: 'OutOfSync',
          health: 'Degraded',
        }),
      ]);
      expect(
        provider.selectorFor({
          apiVersion: 'v1',
          kind: 'Component',
          metadata: {
            name: 'x',
            annotations: { 'backstage.io/kubernetes-id': 'svc' },
          },
        }),
      ).toBe('app.kubernetes.io/name=svc');
    } finally {
      await api.close();
    }
  });

  it("maps real Kustomization payloads to Flux's reasons and since", async () => {
    const api = await startFakeKubernetesApi({
      token: 'sa-token-secret',
      kustomizations: [healthCheckFailed, stalled, ready],
      deployments: [
        deployment(
          'inference-api',
          'inference-api-production',
          'registry.example.com/ml/inference-api:v1.5.0',
        ),
      ],
    });
    try {
      const provider = new FluxProvider(
        {
          name: 'eu-1',
          url: api.url,
          serviceAccountToken: 'sa-token-secret',
          skipTLSVerify: true,
        },
        { frequency: { seconds: 30 }, timeout: { milliseconds: 2_000 } },
      );
      const resources = await provider.list({
        signal: new AbortController().signal,
      });
      expect(resources).toEqual([
        expect.objectContaining({
          name: 'inference-api-production',
          images: ['registry.example.com/ml/inference-api:v1.5.0'],
          sync: 'Synced',
          health: 'Degraded',
          since: '2026-11-20T21:07:12.000Z',
          reasons: [
            {
              source: 'condition',
              type: 'Ready',
              reason: 'HealthCheckFailed',
              message:
                "health check failed after 3m0.009s: timeout waiting for: [Deployment/inference-api-production/inference-api status: 'Failed']",
              since: '2026-11-20T21:07:12.000Z',
            },
          ],
        }),
        expect.objectContaining({
          name: 'checkout-staging',
          sync: 'OutOfSync',
          health: 'Degraded',
          reasons: [
            expect.objectContaining({
              type: 'Stalled',
              reason: 'BuildFailed',
              message: expect.stringMatching(/^kustomize build failed/),
            }),
          ],
        }),
        expect.objectContaining({
          name: 'inference-api-dev',
          sync: 'Synced',
          health: 'Healthy',
          since: '2026-11-22T20:06:10.000Z',
        }),
      ]);
      expect(resources[2].reasons).toBeUndefined();
    } finally {
      await api.close();
    }
  });

  it('reports a refused token and server errors without the token', async () => {
    const api = await startFakeKubernetesApi({
      token: 'right',
      kustomizations: [],
      deployments: [],
    });
    try {
      const wrong = new FluxProvider(
        {
          name: 'eu-1',
          url: api.url,
          serviceAccountToken: 'wrong-secret',
          skipTLSVerify: true,
        },
        { frequency: { seconds: 30 }, timeout: { milliseconds: 2_000 } },
      );
      const error = await wrong
        .list({ signal: new AbortController().signal })
        .catch(e => e);
      expect(error.message).toBe(
        'refused the service-account token (HTTP 401)',
      );
      api.setStatus(500);
      const right = new FluxProvider(
        {
          name: 'eu-1',
          url: api.url,
          serviceAccountToken: 'right',
          skipTLSVerify: true,
        },
        { frequency: { seconds: 30 }, timeout: { milliseconds: 2_000 } },
      );
      await expect(
        right.list({ signal: new AbortController().signal }),
      ).rejects.toThrow('answered HTTP 500');
    } finally {
      await api.close();
    }
    const down = new FluxProvider(
      {
        name: 'eu-1',
        url: 'http://127.0.0.1:9',
        serviceAccountToken: 'x',
        skipTLSVerify: true,
      },
      { frequency: { seconds: 30 }, timeout: { milliseconds: 2_000 } },
    );
    await expect(
      down.list({ signal: new AbortController().signal }),
    ).rejects.toThrow('unreachable (ECONNREFUSED)');
  });

  const provider = (url: string, timeoutMs = 2_000, pageSize?: number) =>
    new FluxProvider(
      {
        name: 'eu-1',
        url,
        serviceAccountToken: 'sa-token-secret',
        skipTLSVerify: true,
      },
      { frequency: { seconds: 30 }, timeout: { milliseconds: timeoutMs } },
      pageSize,
    );

  it('lists page by page, only Kustomizations carrying gitops/environment', async () => {
    const unlabelled = kustomization({
      name: 'other',
      environment: 'staging',
      ready: 'True',
    });
    delete (unlabelled.metadata.labels as any)['gitops/environment'];
    const api = await startFakeKubernetesApi({
      token: 'sa-token-secret',
      kustomizations: [
        ...['a', 'b', 'c'].map(name =>
          kustomization({ name, environment: 'staging', ready: 'True' }),
        ),
        unlabelled,
      ],
      deployments: ['a', 'b', 'c'].map(name =>
        deployment(name, `${name}-staging`, `registry.example.com/${name}:v1`),
      ),
    });
    try {
      const resources = await provider(api.url, 2_000, 2).list({
        signal: new AbortController().signal,
      });
      expect(resources.map(r => [r.name, r.images])).toEqual([
        ['a-staging', ['registry.example.com/a:v1']],
        ['b-staging', ['registry.example.com/b:v1']],
        ['c-staging', ['registry.example.com/c:v1']],
      ]);
      const kustomizationPages = api.requests.filter(r =>
        r.path.endsWith('/kustomizations'),
      );
      expect(kustomizationPages.map(r => r.query)).toEqual([
        { labelSelector: 'gitops/environment', limit: '2' },
        { labelSelector: 'gitops/environment', limit: '2', continue: '2' },
      ]);
      expect(
        api.requests
          .filter(r => r.path.endsWith('/deployments'))
          .map(r => r.query),
      ).toEqual([
        { labelSelector: 'app.kubernetes.io/name', limit: '2' },
        { labelSelector: 'app.kubernetes.io/name', limit: '2', continue: '2' },
      ]);
    } finally {
      await api.close();
    }
  });

  it("aborts a poll on timeout and on the scheduler's signal", async () => {
    const api = await startFakeKubernetesApi({
      token: 'sa-token-secret',
      kustomizations: [],
      deployments: [],
      latencyMs: 5_000,
    });
    try {
      const started = Date.now();
      await expect(
        provider(api.url, 200).list({ signal: new AbortController().signal }),
      ).rejects.toThrow('no answer within 200 ms');
      expect(Date.now() - started).toBeLessThan(2_000);
      const controller = new AbortController();
      const pending = provider(api.url, 10_000).list({
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(), 50);
      await expect(pending).rejects.toThrow(
        "aborted: no answer within the schedule's timeout (10000 ms), or the backend is stopping",
      );
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      await api.close();
    }
  });

  it('skips a malformed inventory entry rather than fail the poll', async () => {
    const svc = kustomization({
      name: 'svc',
      environment: 'staging',
      ready: 'True',
      inventory: ['svc-staging_svc_apps_Deployment'],
    });
    (svc.status as any).inventory.entries.unshift(
      null,
      { id: 42 },
      { id: 'no-underscores' },
      { v: 'v1' },
    );
    const broken = kustomization({
      name: 'broken',
      environment: 'staging',
      ready: 'True',
    });
    (broken.metadata as any).name = undefined;
    const api = await startFakeKubernetesApi({
      token: 'sa-token-secret',
      kustomizations: [svc, broken],
      deployments: [
        deployment('svc', 'svc-staging', 'registry.example.com/svc:v1'),
      ],
    });
    try {
      const resources = await provider(api.url).list({
        signal: new AbortController().signal,
      });
      expect(resources.map(r => [r.key, r.images])).toEqual([
        ['flux-system/svc-staging', ['registry.example.com/svc:v1']],
      ]);
    } finally {
      await api.close();
    }
  });

  it('keys an entity on backstage.io/kubernetes-id, never its bare name', () => {
    const flux = provider('https://k8s.example.com');
    const entity = (annotations: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Component',
      metadata: { name: 'api', namespace: 'team-b', annotations },
    });
    expect(flux.selectorFor(entity({}))).toBeUndefined();
    expect(
      flux.selectorFor(entity({ 'backstage.io/kubernetes-id': 'team-b-api' })),
    ).toBe('app.kubernetes.io/name=team-b-api');
  });
});
