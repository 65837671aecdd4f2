import type { LiveResource } from '@goldenpath/plugin-gitops-node';
import { CompactResources } from './CompactResources';

const argoApp = (service: string, env: string): LiveResource => ({
  key: `argocd/${service}-${env}`,
  name: `${service}-${env}`,
  namespace: 'argocd',
  labels: {
    'app.kubernetes.io/name': service,
    'gitops/environment': env,
  },
  targetNamespace: `${service}-${env}`,
  cluster: 'in-cluster',
  images: [`registry.example.com/${service}:v1.2.3`],
  revision: 'a'.repeat(40),
  sync: 'OutOfSync',
  health: 'Degraded',
  lastSyncedAt: '2026-11-20T10:00:00Z',
  since: '2026-11-20T10:01:00Z',
  reasons: [{ source: 'health', message: 'Deployment is degraded' }],
  url: `https://argocd.example.com/applications/argocd/${service}-${env}`,
});

describe('CompactResources', () => {
  it('gives back each resource exactly as the provider reported it, found by any of its labels', () => {
    const compact = new CompactResources('argocd:main');
    const a = argoApp('api', 'staging');
    const b = argoApp('api', 'production');
    const c = argoApp('web', 'staging');
    compact.add(a, '2026-11-20T10:01:00.000Z');
    compact.add(b, '2026-11-21T00:00:00.000Z');
    compact.add(c, '2026-11-20T10:01:00.000Z');
    compact.seal();

    expect(compact.size).toBe(3);
    expect(compact.withLabel('app.kubernetes.io/name', 'api')).toEqual([
      {
        providerId: 'argocd:main',
        resource: a,
        since: '2026-11-20T10:01:00.000Z',
      },
      {
        providerId: 'argocd:main',
        resource: b,
        since: '2026-11-21T00:00:00.000Z',
      },
    ]);
    expect(
      compact.withLabel('gitops/environment', 'staging').map(r => r.resource),
    ).toEqual([a, c]);
    expect(compact.withLabel('app.kubernetes.io/name', 'nope')).toEqual([]);
  });

  it('keeps keys and links that do not follow the usual form, and optional fields absent', () => {
    const compact = new CompactResources('flux:prod');
    const flux: LiveResource = {
      key: 'Kustomization/flux-system/api-production',
      name: 'api-production',
      labels: { 'app.kubernetes.io/name': 'api', team: 'a=b' },
      images: [],
      sync: 'Synced',
      health: 'Healthy',
      url: 'https://weave.example.com/kustomization?name=api-production',
    };
    compact.add(flux, 't0');
    compact.add(
      {
        key: '/bare',
        name: 'bare',
        labels: { 'app.kubernetes.io/name': 'bare' },
        images: [],
        sync: 'Unknown',
        health: 'Unknown',
      },
      't1',
    );
    compact.seal();
    const [found] = compact.withLabel('app.kubernetes.io/name', 'api');
    expect(found.resource).toEqual(flux);
    expect(Object.keys(found.resource).sort()).toEqual(
      Object.keys(flux).sort(),
    );
    // A label value holding "=" is split at the key's end.
    expect(compact.withLabel('team', 'a=b')).toHaveLength(1);
    const [bare] = compact.withLabel('app.kubernetes.io/name', 'bare');
    expect(bare.resource).toEqual({
      key: '/bare',
      name: 'bare',
      labels: { 'app.kubernetes.io/name': 'bare' },
      images: [],
      sync: 'Unknown',
      health: 'Unknown',
    });
  });

  it('answers copies: a caller changing one does not change the snapshot', () => {
    const compact = new CompactResources('argocd:main');
    compact.add(argoApp('api', 'staging'), 't0');
    compact.seal();
    const [first] = compact.withLabel('gitops/environment', 'staging');
    first.resource.images.push('evil:latest');
    first.resource.labels['gitops/environment'] = 'production';
    const [again] = compact.withLabel('gitops/environment', 'staging');
    expect(again.resource).toEqual(argoApp('api', 'staging'));
  });

  it('keeps times, target namespaces and states of every form exactly, and refuses adds after seal', () => {
    const compact = new CompactResources('argocd:main');
    const odd: LiveResource = {
      ...argoApp('api', 'dev'),
      labels: {},
      targetNamespace: 'api-dev', // the name: rebuilt from it
      lastSyncedAt: '2026-11-20T10:00:00.123Z',
      since: 'yesterday, roughly',
      sync: 'Unknown',
      health: 'Missing',
    };
    const { targetNamespace, ...noTarget } = argoApp('web', 'dev');
    compact.add(odd, '2026-11-20T10:00:00+01:00');
    compact.add(noTarget, '2026-11-21T00:00:00.000Z');
    compact.seal();
    expect(compact.size).toBe(2);
    expect([...compact.all()]).toEqual([
      {
        providerId: 'argocd:main',
        resource: odd,
        since: '2026-11-20T10:00:00+01:00',
      },
      {
        providerId: 'argocd:main',
        resource: noTarget,
        since: '2026-11-21T00:00:00.000Z',
      },
    ]);
    expect(targetNamespace).toBe('web-dev');
    expect(() => compact.add(argoApp('api', 'dev'), 't0')).toThrow(/seal/);
  });
});
