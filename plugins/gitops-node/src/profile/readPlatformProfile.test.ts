import { ConfigReader } from '@backstage/config';
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
      secretStore: { kind: 'ClusterSecretStore', keyPrefix: '' },
    });
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

describe('resolveNamespacePattern', () => {
  it('replaces name and environment', () => {
    expect(
      resolveNamespacePattern('{{name}}-{{ environment }}', 'svc', 'prod'),
    ).toBe('svc-prod');
    expect(resolveNamespacePattern('shared', 'svc', 'prod')).toBe('shared');
  });
});
