import { ConfigReader } from '@backstage/config';
import { parse } from 'yaml';
import { readPlatformProfile } from '../profile';
import { generateService } from './generateService';
import { resolveService } from './resolveService';
import { ServiceInput } from './types';

// The guardrails of a multi-team organisation, as the pure core applies
// them: namespaces, Argo CD projects per team, secret keys and owners.

const profile = (gitops: object = {}) =>
  readPlatformProfile(
    new ConfigReader({
      gitops: {
        repository: { url: 'https://git.example.com/gitops.git' },
        environments: [
          {
            name: 'staging',
            defaultTag: 'latest',
            secretStore: { keyPrefix: 'staging/' },
          },
          {
            name: 'production',
            tagPolicy: 'immutable',
            secretStore: { keyPrefix: 'production/' },
          },
        ],
        ...gitops,
      },
    }),
  );

const input: ServiceInput = {
  name: 'my-ai-service',
  owner: 'group:default/ml-team',
  image: 'registry.example.com/my-ai-service',
  secrets: [{ name: 'API_KEY', remoteKey: 'API_KEY' }],
  environments: [
    { name: 'staging', imageTag: 'latest' },
    { name: 'production', imageTag: 'v1.2.3' },
  ],
};

const teamProfile = () =>
  profile({
    argocd: { application: { project: '{{ owner.name }}' } },
    reservedNamespaces: ['monitoring'],
    environments: [
      {
        name: 'staging',
        defaultTag: 'latest',
        namespace: '{{owner.name}}-{{name}}-{{environment}}',
        allowedNamespaces: ['{{owner.name}}-*'],
      },
    ],
  });

const stagingWith = (namespace: string) => ({
  ...input,
  environments: [{ name: 'staging', imageTag: 'latest', namespace }],
});

describe('namespaces', () => {
  it.each([
    [
      'kube-system',
      /^environments\[0\]\.namespace "kube-system" is reserved \(matches "kube-\*"\): services never go into kube-\*, default, the Argo CD or Flux namespaces or gitops\.reservedNamespaces$/,
    ],
    ['kube-public', /"kube-public" is reserved \(matches "kube-\*"\)/],
    ['default', /^environments\[0\]\.namespace "default" is reserved/],
    [
      'argocd',
      /^environments\[0\]\.namespace "argocd" is reserved \(matches "argocd"\)/,
    ],
    ['flux-system', /^environments\[0\]\.namespace "flux-system" is reserved/],
    ['monitoring', /^environments\[0\]\.namespace "monitoring" is reserved/],
  ])('refuses %s even where overrides are allowed', (namespace, message) => {
    expect(() => resolveService(stagingWith(namespace), teamProfile())).toThrow(
      message,
    );
  });

  it('refuses a reserved namespace matched by an allowed pattern too', () => {
    const p = profile({
      environments: [
        { name: 'staging', defaultTag: 'latest', allowedNamespaces: ['*'] },
      ],
    });
    expect(() => resolveService(stagingWith('kube-system'), p)).toThrow(
      /^environments\[0\]\.namespace "kube-system" is reserved/,
    );
    expect(
      resolveService(stagingWith('anything-goes'), p).environments[0].namespace,
    ).toBe('anything-goes');
  });

  it('accepts an override only where the environment allows it', () => {
    expect(() => resolveService(stagingWith('team-shared'), profile())).toThrow(
      /^environments\[0\]\.namespace "team-shared" is not allowed in staging: the platform profile allows "my-ai-service-staging" only \(no allowedNamespaces\)$/,
    );
    // The namespace the pattern gives is always fine.
    expect(
      resolveService(stagingWith('my-ai-service-staging'), profile())
        .environments[0].namespace,
    ).toBe('my-ai-service-staging');

    const p = teamProfile();
    expect(
      resolveService(stagingWith('ml-team-shared'), p).environments[0]
        .namespace,
    ).toBe('ml-team-shared');
    expect(() => resolveService(stagingWith('payments-team-db'), p)).toThrow(
      /^environments\[0\]\.namespace "payments-team-db" is not allowed in staging: the platform profile allows "ml-team-my-ai-service-staging" or "ml-team-\*"$/,
    );
  });

  it('derives the namespace from the owner where the pattern says so', () => {
    const s = resolveService(
      { ...input, environments: [{ name: 'staging' }] },
      teamProfile(),
    );
    expect(s.environments[0].namespace).toBe('ml-team-my-ai-service-staging');
  });

  it('refuses a name whose derived namespace is reserved, naming name', () => {
    expect(() =>
      resolveService(
        { ...input, name: 'kube', environments: [{ name: 'staging' }] },
        profile(),
      ),
    ).toThrow(
      /^name gives the namespace "kube-staging", which is reserved \(matches "kube-\*"\)/,
    );
  });

  it('blames the owner when its name cannot be part of a namespace', () => {
    expect(() =>
      resolveService(
        {
          ...input,
          owner: 'group:default/ml_team',
          environments: [{ name: 'staging' }],
        },
        teamProfile(),
      ),
    ).toThrow(/^owner gives the namespace "ml_team-my-ai-service-staging"/);
  });
});

describe('Argo CD projects per team', () => {
  it('derives each Application project from the owning group', () => {
    const g = generateService(
      { ...input, environments: [{ name: 'staging' }] },
      teamProfile(),
    );
    const app = parse(
      g.files.find(f => f.path === 'argocd/staging.yaml')!.content,
    );
    expect(app.spec.project).toBe('ml-team');
    expect(app.spec.destination.namespace).toBe(
      'ml-team-my-ai-service-staging',
    );
  });

  it('refuses an owner that gives no valid project name', () => {
    expect(() =>
      resolveService(
        { ...input, owner: 'group:default/ML.Team' },
        profile({ argocd: { application: { project: '{{owner.name}}' } } }),
      ),
    ).toThrow(
      /^owner gives the Argo CD project "ml\.team" for staging, which must be a DNS-1123 label/,
    );
  });

  it('leaves namespace creation to the platform when createNamespace is off', () => {
    const g = generateService(
      input,
      profile({
        argocd: { application: { syncPolicy: { createNamespace: false } } },
      }),
    );
    const app = parse(
      g.files.find(f => f.path === 'argocd/staging.yaml')!.content,
    );
    expect(app.spec.syncPolicy).toEqual({
      automated: { prune: true, selfHeal: true },
    });
  });
});

describe('secret keys', () => {
  const keys = (s: ReturnType<typeof generateService>) =>
    parse(
      s.files.find(f => f.path === 'base/externalsecret.yaml')!.content,
    ).spec.data.map((d: any) => d.remoteRef.key);

  it('confines every key under <keyPrefix><service>/ by default', () => {
    const g = generateService(
      {
        ...input,
        secrets: [
          { name: 'API_KEY', remoteKey: 'API_KEY' },
          { name: 'DB', remoteKey: 'db/password' },
        ],
      },
      profile(),
    );
    expect(keys(g)).toEqual([
      'staging/my-ai-service/API_KEY',
      'staging/my-ai-service/db/password',
    ]);
    expect(
      parse(
        g.files.find(
          f => f.path === 'overlays/production/patch-externalsecret.yaml',
        )!.content,
      ).spec.data.map((d: any) => d.remoteRef.key),
    ).toEqual([
      'production/my-ai-service/API_KEY',
      'production/my-ai-service/db/password',
    ]);
  });

  it.each([
    [
      '../payments/db-password',
      /^secrets\[0\]\.remoteKey must not contain "\." or "\.\." segments/,
    ],
    [
      '/payments/db-password',
      /^secrets\[0\]\.remoteKey must be relative to the service's prefix in the secret store: no leading "\/"/,
    ],
    [
      'db/../../payments/db',
      /^secrets\[0\]\.remoteKey must not contain "\." or "\.\." segments/,
    ],
    [
      'db\tpassword',
      /^secrets\[0\]\.remoteKey must not contain control characters/,
    ],
    ['db password', /^secrets\[0\]\.remoteKey must not contain whitespace/],
  ])('refuses remoteKey %j', (remoteKey, message) => {
    expect(() =>
      resolveService(
        { ...input, secrets: [{ name: 'DB', remoteKey }] },
        profile(),
      ),
    ).toThrow(message);
  });

  it('follows a team prefix, and a platform opt-out writes keys as given', () => {
    expect(
      keys(
        generateService(
          input,
          profile({
            secretStore: { serviceKeyPrefix: 'teams/{{owner.name}}/{{name}}/' },
          }),
        ),
      ),
    ).toEqual(['staging/teams/ml-team/my-ai-service/API_KEY']);
    expect(
      keys(
        generateService(
          { ...input, secrets: [{ name: 'DB', remoteKey: 'payments/db' }] },
          profile({ secretStore: { allowSharedKeys: true } }),
        ),
      ),
    ).toEqual(['staging/payments/db']);
  });
});

describe('owner', () => {
  it.each([
    [
      'not a ref!!',
      /^owner must be an entity reference such as group:default\/ml-team or user:default\/ada/,
    ],
    [
      'component:default/some-service',
      /^owner must be a Group or a User, not a component/,
    ],
    ['group:', /^owner must be an entity reference/],
  ])('refuses %j', (owner, message) => {
    expect(() => resolveService({ ...input, owner }, profile())).toThrow(
      message,
    );
  });

  it('defaults the kind to group and keeps the full reference', () => {
    expect(
      resolveService({ ...input, owner: 'ml-team' }, profile()),
    ).toMatchObject({
      owner: 'group:default/ml-team',
      ownerRef: { kind: 'group', namespace: 'default', name: 'ml-team' },
    });
    expect(
      resolveService({ ...input, owner: 'User:default/ada' }, profile()).owner,
    ).toBe('user:default/ada');
  });
});
