import type { LiveResource } from '@goldenpath/plugin-gitops-node';
import {
  buildEnvironmentStatuses,
  environmentOf,
  imageMatches,
} from './buildEnvironmentStatuses';

const resource = (over: Partial<LiveResource>): LiveResource => ({
  key: 'argocd/x',
  name: 'x',
  labels: {},
  images: [],
  sync: 'Synced',
  health: 'Healthy',
  ...over,
});

describe('imageMatches', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  it.each([
    ['r/app:v1', { image: 'r/app', tag: 'v1' }, true],
    ['r/app:v2', { image: 'r/app', tag: 'v1' }, false],
    ['r/app', { image: 'r/app', tag: 'latest' }, true],
    ['localhost:5000/app:v1', { image: 'localhost:5000/app', tag: 'v1' }, true],
    [`r/app@${digest}`, { image: 'r/app', digest }, true],
    ['r/app:v1', { image: 'r/app', digest }, false],
    ['r/other:v1', { image: 'r/app', tag: 'v1' }, false],
  ])('%s vs %j -> %s', (image, desired, expected) =>
    expect(imageMatches(image, desired)).toBe(expected),
  );
});

describe('environmentOf', () => {
  const ns = new Map([['production', 'svc-prod']]);
  it('prefers the label, then the name suffix, then the namespace', () => {
    expect(
      environmentOf(
        resource({
          name: 'svc-staging',
          labels: { 'gitops/environment': 'qa' },
        }),
        ['staging'],
        ns,
      ),
    ).toBe('qa');
    expect(
      environmentOf(
        resource({ name: 'svc-pre-production' }),
        ['production', 'pre-production'],
        ns,
      ),
    ).toBe('pre-production');
    expect(
      environmentOf(
        resource({ name: 'svc', targetNamespace: 'svc-prod' }),
        ['production'],
        ns,
      ),
    ).toBe('production');
    expect(
      environmentOf(resource({ name: 'svc' }), ['production'], ns),
    ).toBeUndefined();
  });
});

describe('buildEnvironmentStatuses', () => {
  const desired = {
    path: 'apps/svc',
    environments: [
      {
        name: 'production',
        controller: 'argocd' as const,
        namespace: 'svc-production',
        desired: { image: 'r/svc', tag: 'v2' },
      },
      {
        name: 'staging',
        controller: 'argocd' as const,
        namespace: 'svc-staging',
        desired: { image: 'r/svc', tag: 'latest' },
      },
      {
        name: 'preview',
        controller: 'none' as const,
        namespace: 'svc-preview',
        desired: { image: 'r/svc', tag: 'pr-1' },
      },
    ],
  };
  const profileEnvironments = [
    { name: 'staging', cluster: 'eu-1' },
    { name: 'production' },
  ];

  it('orders by the profile, then extra environments, and marks drift', () => {
    const envs = buildEnvironmentStatuses({
      profileEnvironments,
      desired,
      live: [
        {
          resource: resource({
            name: 'svc-production',
            images: ['r/svc:v1'],
            sync: 'OutOfSync',
          }),
          controller: 'argocd',
          providerName: 'A',
          since: 't1',
        },
        {
          resource: resource({ name: 'svc-staging', images: ['r/svc:latest'] }),
          controller: 'argocd',
          providerName: 'A',
          since: 't0',
        },
      ],
    });
    expect(envs.map(e => [e.name, e.drift, e.live?.sync, e.cluster])).toEqual([
      ['staging', false, 'Synced', 'eu-1'],
      ['production', true, 'OutOfSync', undefined],
      ['preview', false, undefined, undefined],
    ]);
    expect(envs[2].error).toBeUndefined();
  });

  it('shows a Git error on every environment without hiding the live state', () => {
    const envs = buildEnvironmentStatuses({
      profileEnvironments,
      desiredError: 'Git: apps/svc does not exist',
      live: [
        {
          resource: resource({ name: 'svc-staging', images: ['r/svc:1'] }),
          controller: 'argocd',
          providerName: 'A',
          since: 't',
        },
      ],
    });
    expect(envs).toEqual([
      expect.objectContaining({
        name: 'staging',
        drift: false,
        error: { message: 'Git: apps/svc does not exist' },
        live: expect.objectContaining({ images: ['r/svc:1'] }),
      }),
    ]);
  });

  it('lists the profile environments with the Git error when nothing else is known', () => {
    const envs = buildEnvironmentStatuses({
      profileEnvironments,
      desiredError: 'Git: apps/svc does not exist in the GitOps repository',
      live: [],
    });
    expect(envs.map(e => [e.name, e.error?.message])).toEqual([
      ['staging', 'Git: apps/svc does not exist in the GitOps repository'],
      ['production', 'Git: apps/svc does not exist in the GitOps repository'],
    ]);
  });

  it('marks the last good desired and live state stale, saying why', () => {
    const envs = buildEnvironmentStatuses({
      profileEnvironments,
      desired,
      live: [
        {
          resource: resource({ name: 'svc-staging', images: ['r/svc:latest'] }),
          controller: 'argocd',
          providerName: 'A',
          since: 't0',
        },
      ],
      desiredStaleReason: 'Git: could not be re-read since t9',
      liveStaleReason: 'the database did not answer since t8',
    });
    expect(
      envs.map(e => [
        e.name,
        e.desired?.stale,
        e.live?.stale,
        e.error?.message,
      ]),
    ).toEqual([
      [
        'staging',
        true,
        true,
        'Git: could not be re-read since t9; the database did not answer since t8',
      ],
      [
        'production',
        true,
        undefined,
        'Git: could not be re-read since t9; No Argo CD Application found for this environment',
      ],
      ['preview', true, undefined, 'Git: could not be re-read since t9'],
    ]);
  });

  it('says per controller how the entity was looked for', () => {
    const envs = buildEnvironmentStatuses({
      profileEnvironments,
      desired,
      live: [],
      selectorDescriptions: {
        argocd: 'app.kubernetes.io/name=svc',
        flux: 'the entity has no backstage.io/kubernetes-id annotation',
      },
    });
    expect(envs[0].error?.message).toBe(
      'No Argo CD Application found for this environment (app.kubernetes.io/name=svc)',
    );
  });

  it("passes on the controller's reasons and since, and a third controller's name", () => {
    const reasons = [
      {
        source: 'resource' as const,
        type: 'Deployment/svc',
        message: 'Deployment "svc" exceeded its progress deadline',
      },
    ];
    const envs = buildEnvironmentStatuses({
      profileEnvironments,
      desired: {
        ...desired,
        environments: desired.environments.map(e =>
          e.name === 'preview' ? { ...e, controller: 'none' as const } : e,
        ),
      },
      live: [
        {
          resource: resource({
            name: 'svc-production',
            images: ['r/svc:v2'],
            health: 'Degraded',
            reasons,
          }),
          controller: 'argocd',
          providerName: 'A',
          since: '2026-11-20T21:14:03.000Z',
        },
        {
          resource: resource({
            name: 'svc-preview',
            images: ['r/svc:pr-1'],
            sync: 'OutOfSync',
          }),
          controller: 'kargo',
          controllerName: 'Kargo',
          providerName: 'Kargo project "ml"',
          since: '2026-11-22T10:00:00.000Z',
        },
      ],
    });
    const production = envs.find(e => e.name === 'production')!;
    expect(production.controller).toBe('argocd');
    expect(production.controllerName).toBeUndefined();
    expect(production.live).toEqual(
      expect.objectContaining({
        health: 'Degraded',
        since: '2026-11-20T21:14:03.000Z',
        reasons,
      }),
    );
    expect(envs.find(e => e.name === 'staging')!.live).toBeUndefined();
    const preview = envs.find(e => e.name === 'preview')!;
    expect([preview.controller, preview.controllerName]).toEqual([
      'kargo',
      'Kargo',
    ]);
    expect(preview.live?.reasons).toBeUndefined();
  });

  it("names a third controller's object by its name when none is found", () => {
    const envs = buildEnvironmentStatuses({
      profileEnvironments: [],
      desired: {
        path: 'apps/svc',
        environments: [
          {
            name: 'qa',
            controller: 'kargo' as any,
            desired: { image: 'r/svc', tag: 'v1' },
          },
        ],
      },
      live: [],
    });
    expect(envs[0].error?.message).toBe(
      'No kargo resource found for this environment',
    );
  });
});
