import { ConfigReader } from '@backstage/config';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import {
  readPlatformProfile,
  resolveNamespacePattern,
} from './readPlatformProfile';

const read = (gitops: object) =>
  readPlatformProfile(new ConfigReader({ gitops }), { baseDir: '/srv' });

describe('readPlatformProfile', () => {
  it('gives the golden path defaults when app-config says nothing', () => {
    const profile = readPlatformProfile(new ConfigReader({}));
    expect(profile.environments.map(e => e.name)).toEqual([
      'staging',
      'production',
    ]);
    const [staging, production] = profile.environments;
    expect(staging).toMatchObject({
      replicas: 1,
      tagPolicy: 'mutable',
      defaultTag: 'latest',
      resourceTier: 'small',
      namespace: '{{name}}-{{environment}}',
      secretStore: {
        kind: 'ClusterSecretStore',
        keyPrefix: '',
        // Confined by default: each service reads only <keyPrefix><name>/...
        serviceKeyPrefix: '{{name}}/',
        allowSharedKeys: false,
      },
      allowedNamespaces: [],
      argocd: { project: 'default', createNamespace: true },
    });
    expect(profile.reservedNamespaces).toEqual([
      'kube-*',
      'default',
      'argocd',
      'flux-system',
    ]);
    expect(production).toMatchObject({
      replicas: 3,
      tagPolicy: 'immutable',
      resourceTier: 'medium',
    });
    expect(production.defaultTag).toBeUndefined();
    expect(profile.defaultController).toBe('argocd');
    expect(profile.repository).toEqual({
      branch: 'main',
      appsPath: 'apps',
      localPath: undefined,
      url: undefined,
    });
    expect(profile.kubectl).toEqual({ validate: true, path: 'kubectl' });
  });

  it('takes environments, tiers and stores from app-config, in order', () => {
    const profile = read({
      secretStore: { name: 'vault', kind: 'SecretStore' },
      resourceTiers: {
        gpu: {
          requests: { cpu: '2', memory: '8Gi' },
          limits: { memory: '16Gi' },
        },
      },
      argocd: {
        application: { project: 'payments', syncPolicy: { selfHeal: false } },
      },
      environments: [
        { name: 'dev', namespace: 'team-{{ name }}' },
        {
          name: 'qa',
          secretStore: { keyPrefix: 'qa/' },
          argocd: { destination: { name: 'qa-cluster' } },
        },
        {
          name: 'prod',
          tagPolicy: 'immutable',
          replicas: 4,
          resourceTier: 'gpu',
        },
      ],
      repository: {
        localPath: 'gitops',
        url: 'https://git.example.com/gitops.git',
        branch: 'trunk',
      },
      defaultController: 'flux',
    });
    expect(profile.environments.map(e => e.name)).toEqual([
      'dev',
      'qa',
      'prod',
    ]);
    expect(profile.environments[0].namespace).toBe('team-{{ name }}');
    expect(profile.environments[1].secretStore).toEqual({
      name: 'vault',
      kind: 'SecretStore',
      keyPrefix: 'qa/',
      serviceKeyPrefix: '{{name}}/',
      allowSharedKeys: false,
      refreshInterval: '1h',
    });
    expect(profile.environments[1].argocd).toMatchObject({
      project: 'payments',
      destinationName: 'qa-cluster',
      destinationServer: undefined,
      selfHeal: false,
      prune: true,
    });
    expect(profile.environments[2]).toMatchObject({
      replicas: 4,
      resourceTier: 'gpu',
      tagPolicy: 'immutable',
    });
    expect(profile.resourceTiers.gpu.limits.memory).toBe('16Gi');
    expect(profile.resourceTiers.small).toBeDefined();
    expect(profile.repository).toEqual({
      localPath: '/srv/gitops',
      url: 'https://git.example.com/gitops.git',
      branch: 'trunk',
      appsPath: 'apps',
    });
    expect(profile.defaultController).toBe('flux');
  });

  it.each([
    [
      { environments: [{ name: 'Prod' }] },
      /gitops\.environments\[0\]\.name must be a DNS-1123 label/,
    ],
    [
      { environments: [{ name: 'a' }, { name: 'a' }] },
      /environments\[1\]\.name "a" is listed twice/,
    ],
    [
      { environments: [{ name: 'a', resourceTier: 'huge' }] },
      /environments\[0\]\.resourceTier "huge" is not one of/,
    ],
    [
      { environments: [{ name: 'a', tagPolicy: 'sometimes' }] },
      /environments\[0\]\.tagPolicy must be one of mutable, immutable/,
    ],
    [
      { environments: [{ name: 'a', replicas: -1 }] },
      /environments\[0\]\.replicas must be a whole number/,
    ],
    [
      { environments: [{ name: 'a', secretStore: { kind: 'Vault' } }] },
      /secretStore\.kind must be one of SecretStore, ClusterSecretStore/,
    ],
    [
      { defaultController: 'jenkins' },
      /gitops\.defaultController must be one of argocd, flux, none/,
    ],
    [
      { repository: { appsPath: '../outside' } },
      /gitops\.repository\.appsPath must not contain/,
    ],
    [
      {
        resourceTiers: {
          tiny: { requests: { cpu: '1m' }, limits: { memory: '1Mi' } },
        },
      },
      /resourceTiers\.tiny\.requests must set both cpu and memory/,
    ],
    [
      { environments: [{ name: 'a', namespace: '{{team}}-{{name}}' }] },
      /gitops\.environments\[0\]\.namespace has the unknown placeholder \{\{team\}\}/,
    ],
    [
      { environments: [{ name: 'a', namespace: '{{name}-x' }] },
      /environments\[0\]\.namespace has an unbalanced/,
    ],
    [
      { environments: [{ name: 'a', namespace: 'Team_{{name}}' }] },
      /environments\[0\]\.namespace must be a namespace or a namespace pattern/,
    ],
    [
      { environments: [{ name: 'a', namespace: 'team-*' }] },
      /environments\[0\]\.namespace must be a namespace pattern without "\*"/,
    ],
    [
      { environments: [{ name: 'a', namespace: 'kube-system' }] },
      /gitops\.environments\[0\]\.namespace "kube-system" is reserved \(matches "kube-\*"\)/,
    ],
    [
      { environments: [{ name: 'a', namespace: 'argocd' }] },
      /environments\[0\]\.namespace "argocd" is reserved \(matches "argocd"\)/,
    ],
    [
      {
        reservedNamespaces: ['shared-*'],
        environments: [{ name: 'a', namespace: 'shared-apps' }],
      },
      /environments\[0\]\.namespace "shared-apps" is reserved \(matches "shared-\*"\)/,
    ],
    [
      { reservedNamespaces: ['Bad NS'] },
      /gitops\.reservedNamespaces\[0\] must be a namespace or a namespace pattern/,
    ],
    [
      {
        environments: [
          { name: 'a', allowedNamespaces: ['{{owner.name}}-*', 'x_y'] },
        ],
      },
      /environments\[0\]\.allowedNamespaces\[1\] must be a namespace or a namespace pattern/,
    ],
    [
      { environments: [{ name: 'a', allowedNamespaces: ['{{owner}}-*'] }] },
      /environments\[0\]\.allowedNamespaces\[0\] has the unknown placeholder \{\{owner\}\}/,
    ],
    [
      { argocd: { application: { project: '{{owner.kind}}' } } },
      /gitops\.argocd\.application\.project has the unknown placeholder \{\{owner\.kind\}\}/,
    ],
    [
      { environments: [{ name: 'a', argocd: { project: 'Team A' } }] },
      /gitops\.environments\[0\]\.argocd\.project must be a DNS-1123 label/,
    ],
    [
      { secretStore: { serviceKeyPrefix: 'shared/' } },
      /gitops\.secretStore\.serviceKeyPrefix must contain \{\{name\}\} as a whole path segment followed by "\/".*allowSharedKeys: true to opt out/,
    ],
    [
      {
        environments: [
          { name: 'a', secretStore: { serviceKeyPrefix: '{{name}}-' } },
        ],
      },
      /gitops\.environments\[0\]\.secretStore\.serviceKeyPrefix must contain \{\{name\}\} as a whole path segment/,
    ],
    [
      { secretStore: { serviceKeyPrefix: 'x{{name}}/' } },
      /secretStore\.serviceKeyPrefix must contain \{\{name\}\} as a whole path segment/,
    ],
    [
      { secretStore: { serviceKeyPrefix: '../{{name}}/' } },
      /secretStore\.serviceKeyPrefix must not contain "\." or "\.\." segments/,
    ],
    [
      { secretStore: { serviceKeyPrefix: '/{{name}}/' } },
      /secretStore\.serviceKeyPrefix must not start with "\/"/,
    ],
    [
      { secretStore: { keyPrefix: '../other/' } },
      /gitops\.secretStore\.keyPrefix must not contain "\." or "\.\." segments/,
    ],
    [
      {
        environments: [{ name: 'a', secretStore: { keyPrefix: '{{name}}/' } }],
      },
      /environments\[0\]\.secretStore\.keyPrefix must not contain placeholders/,
    ],
  ])('refuses %j', (gitops, message) => {
    expect(() => read(gitops)).toThrow(message);
  });
});

describe('repository', () => {
  it('ignores localPath when source is url, as app-config.production.yaml sets it', () => {
    const { repository } = read({
      repository: {
        source: 'url',
        localPath: 'gitops',
        url: 'https://github.com/o/gitops',
      },
    });
    expect(repository.localPath).toBeUndefined();
    expect(repository.url).toBe('https://github.com/o/gitops');
    expect(
      read({ repository: { localPath: 'gitops' } }).repository.localPath,
    ).toBe('/srv/gitops');
    expect(() => read({ repository: { source: 'ftp' } })).toThrow(
      /gitops\.repository\.source must be one of local, url/,
    );
  });
});

describe('guardrails of a multi-team profile', () => {
  it('reads allowed and reserved namespaces, team projects and key confinement', () => {
    const profile = read({
      reservedNamespaces: ['monitoring', 'platform-*'],
      argocd: {
        application: {
          namespace: 'gitops',
          project: '{{ owner.name }}',
          syncPolicy: { createNamespace: false },
        },
      },
      flux: { kustomization: { sourceRef: { namespace: 'flux-sources' } } },
      secretStore: { serviceKeyPrefix: '{{owner.name}}/{{name}}/' },
      environments: [
        {
          name: 'staging',
          namespace: '{{owner.name}}-{{name}}-{{environment}}',
          allowedNamespaces: ['{{owner.name}}-*-staging'],
          secretStore: { keyPrefix: 'staging/' },
        },
      ],
    });
    const [staging] = profile.environments;
    expect(staging.allowedNamespaces).toEqual(['{{owner.name}}-*-staging']);
    expect(staging.argocd).toMatchObject({
      project: '{{ owner.name }}',
      namespace: 'gitops',
      createNamespace: false,
    });
    expect(staging.secretStore).toMatchObject({
      keyPrefix: 'staging/',
      serviceKeyPrefix: '{{owner.name}}/{{name}}/',
      allowSharedKeys: false,
    });
    expect(profile.reservedNamespaces).toEqual([
      'kube-*',
      'default',
      'gitops',
      'flux-system',
      'flux-sources',
      'monitoring',
      'platform-*',
    ]);
  });

  it('lets a platform team opt out of key confinement only explicitly', () => {
    const shared = read({ secretStore: { allowSharedKeys: true } });
    expect(shared.environments[0].secretStore).toMatchObject({
      serviceKeyPrefix: '',
      allowSharedKeys: true,
    });
    const perEnv = read({
      environments: [
        {
          name: 'a',
          secretStore: { allowSharedKeys: true, serviceKeyPrefix: 'shared/' },
        },
        { name: 'b' },
      ],
    });
    expect(
      perEnv.environments.map(e => e.secretStore.serviceKeyPrefix),
    ).toEqual(['shared/', '{{name}}/']);
  });

  it('accepts the demo app-config.yaml as it is, with keys confined per service', () => {
    const appConfig = parse(
      readFileSync(resolve(__dirname, '../../../../app-config.yaml'), 'utf8'),
    );
    const profile = read(appConfig.gitops);
    expect(profile.environments.length).toBeGreaterThan(0);
    for (const env of profile.environments) {
      expect(env.secretStore).toMatchObject({
        serviceKeyPrefix: '{{name}}/',
        allowSharedKeys: false,
      });
    }
  });
});

describe('resolveNamespacePattern', () => {
  it('replaces name and environment', () => {
    expect(
      resolveNamespacePattern('{{name}}-{{ environment }}', 'svc', 'prod'),
    ).toBe('svc-prod');
    expect(resolveNamespacePattern('shared', 'svc', 'prod')).toBe('shared');
    expect(
      resolveNamespacePattern('{{ owner.name }}-{{name}}', 'svc', 'prod', {
        name: 'ML-Team',
        namespace: 'default',
      }),
    ).toBe('ml-team-svc');
  });
});
