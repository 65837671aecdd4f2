import { ConfigReader } from '@backstage/config';
import { parse } from 'yaml';
import { readPlatformProfile } from '../profile';
import { generateService } from './generateService';
import { ServiceInput } from './types';

const profile = (gitops: object = {}) =>
  readPlatformProfile(
    new ConfigReader({
      gitops: {
        repository: { url: 'https://git.example.com/platform/gitops.git' },
        partOf: 'platform',
        secretStore: { name: 'infisical-store' },
        environments: [
          {
            name: 'staging',
            defaultTag: 'latest',
            secretStore: { keyPrefix: 'staging/' },
          },
          {
            name: 'production',
            replicas: 3,
            resourceTier: 'medium',
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
  config: { LOG_LEVEL: 'info', MODEL_NAME: 'gpt-small' },
  secrets: [
    { name: 'DATABASE_URL', remoteKey: 'DATABASE_URL' },
    { name: 'API_KEY', remoteKey: 'api', property: 'api-key' },
  ],
  environments: [
    { name: 'staging', imageTag: 'latest' },
    { name: 'production', imageTag: 'v1.2.3' },
  ],
};

const file = (g: ReturnType<typeof generateService>, path: string) => {
  const found = g.files.find(f => f.path === path);
  if (!found) throw new Error(`no ${path} in ${g.files.map(f => f.path)}`);
  return parse(found.content);
};

describe('generateService', () => {
  it('writes the base, one overlay per environment and Argo CD Applications', () => {
    const g = generateService(input, profile());
    expect(g.files.map(f => f.path)).toEqual([
      'argocd/production.yaml',
      'argocd/staging.yaml',
      'base/configmap.yaml',
      'base/deployment.yaml',
      'base/externalsecret.yaml',
      'base/kustomization.yaml',
      'base/service.yaml',
      'base/serviceaccount.yaml',
      'overlays/production/kustomization.yaml',
      'overlays/production/patch-externalsecret.yaml',
      'overlays/production/patch-replicas.yaml',
      'overlays/production/patch-resources.yaml',
      'overlays/production/pdb.yaml',
      'overlays/staging/kustomization.yaml',
    ]);
    expect(g.annotations).toEqual({
      'backstage.io/kubernetes-id': 'my-ai-service',
      'gitops/path': 'apps/my-ai-service',
      'argocd/app-selector': 'app.kubernetes.io/name=my-ai-service',
    });
    expect(g.files).toMatchSnapshot();
  });

  it('uses current Kustomize fields, never the deprecated ones', () => {
    const g = generateService(input, profile());
    const all = g.files.map(f => f.content).join('\n');
    expect(all).not.toMatch(
      /commonLabels|patchesStrategicMerge|v1beta1\b.*ExternalSecret/,
    );
    expect(file(g, 'base/kustomization.yaml').labels).toEqual([
      {
        pairs: {
          'app.kubernetes.io/name': 'my-ai-service',
          'app.kubernetes.io/part-of': 'platform',
        },
        includeSelectors: false,
        includeTemplates: true,
      },
    ]);
    const prod = file(g, 'overlays/production/kustomization.yaml');
    expect(prod).toMatchObject({
      namespace: 'my-ai-service-production',
      resources: ['../../base', 'pdb.yaml'],
      patches: [
        { path: 'patch-replicas.yaml' },
        { path: 'patch-resources.yaml' },
        { path: 'patch-externalsecret.yaml' },
      ],
      images: [
        { name: 'registry.example.com/my-ai-service', newTag: 'v1.2.3' },
      ],
    });
    expect(file(g, 'overlays/staging/kustomization.yaml')).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: 'my-ai-service-staging',
      resources: ['../../base'],
      labels: [
        {
          pairs: { 'gitops/environment': 'staging' },
          includeSelectors: false,
          includeTemplates: true,
        },
      ],
      images: [
        { name: 'registry.example.com/my-ai-service', newTag: 'latest' },
      ],
    });
  });

  it('wires secrets through an ExternalSecret v1 and never writes a Secret', () => {
    const g = generateService(input, profile());
    const es = file(g, 'base/externalsecret.yaml');
    expect(es.apiVersion).toBe('external-secrets.io/v1');
    expect(es.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { name: 'infisical-store', kind: 'ClusterSecretStore' },
      target: {
        name: 'my-ai-service-secrets',
        creationPolicy: 'Owner',
        deletionPolicy: 'Retain',
      },
      data: [
        {
          secretKey: 'DATABASE_URL',
          remoteRef: { key: 'staging/my-ai-service/DATABASE_URL' },
        },
        {
          secretKey: 'API_KEY',
          remoteRef: {
            key: 'staging/my-ai-service/api',
            property: 'api-key',
          },
        },
      ],
    });
    expect(
      file(g, 'overlays/production/patch-externalsecret.yaml').spec.data[0]
        .remoteRef.key,
    ).toBe('production/my-ai-service/DATABASE_URL');
    const container = file(g, 'base/deployment.yaml').spec.template.spec
      .containers[0];
    expect(container.envFrom).toEqual([
      { configMapRef: { name: 'my-ai-service-config' } },
      { secretRef: { name: 'my-ai-service-secrets' } },
    ]);
    expect(g.files.map(f => f.content).join('\n')).not.toMatch(
      /kind: Secret\b/,
    );
  });

  it('gives the Deployment production-safe defaults', () => {
    const g = generateService(input, profile());
    const spec = file(g, 'base/deployment.yaml').spec;
    expect(spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'my-ai-service',
    });
    expect(spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(spec.template.spec.securityContext).toEqual({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const c = spec.template.spec.containers[0];
    expect(c.image).toBe('registry.example.com/my-ai-service');
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.readinessProbe.httpGet).toEqual({
      path: '/health/ready',
      port: 'http',
    });
    expect(c.livenessProbe.httpGet).toEqual({
      path: '/health/live',
      port: 'http',
    });
    expect(c.resources).toEqual({
      requests: { cpu: '100m', memory: '256Mi' },
      limits: { memory: '512Mi' },
    });
    expect(
      file(g, 'overlays/production/patch-resources.yaml').spec.template.spec
        .containers[0].resources,
    ).toEqual({
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { memory: '1Gi' },
    });
    expect(
      file(g, 'overlays/production/patch-replicas.yaml').spec.replicas,
    ).toBe(3);
    expect(
      file(g, 'base/serviceaccount.yaml').automountServiceAccountToken,
    ).toBe(false);
  });

  it('writes Argo CD Applications named and labelled per environment', () => {
    const app = file(
      generateService(input, profile()),
      'argocd/production.yaml',
    );
    expect(app).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'my-ai-service-production',
        namespace: 'argocd',
        labels: {
          'app.kubernetes.io/name': 'my-ai-service',
          'gitops/environment': 'production',
        },
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: 'default',
        source: {
          repoURL: 'https://git.example.com/platform/gitops.git',
          targetRevision: 'main',
          path: 'apps/my-ai-service/overlays/production',
        },
        destination: {
          server: 'https://kubernetes.default.svc',
          namespace: 'my-ai-service-production',
        },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: ['CreateNamespace=true'],
          managedNamespaceMetadata: {
            labels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
          },
        },
      },
    });
  });

  it('writes Flux Kustomizations with a health check when the controller is flux', () => {
    const g = generateService({ ...input, controller: 'flux' }, profile());
    expect(
      g.files
        .map(f => f.path)
        .filter(p => !p.startsWith('base') && !p.startsWith('overlays')),
    ).toEqual(['flux/production.yaml', 'flux/staging.yaml']);
    expect(file(g, 'flux/staging.yaml')).toEqual({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: {
        name: 'my-ai-service-staging',
        namespace: 'flux-system',
        labels: {
          'app.kubernetes.io/name': 'my-ai-service',
          'gitops/environment': 'staging',
        },
      },
      spec: {
        interval: '5m',
        path: './apps/my-ai-service/overlays/staging',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'flux-system' },
        timeout: '5m',
        wait: false,
        healthChecks: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'my-ai-service',
            namespace: 'my-ai-service-staging',
          },
        ],
      },
    });
    expect(g.annotations['argocd/app-selector']).toBeUndefined();
  });

  it('writes no controller objects for controller none, and no config or secret objects when there are none', () => {
    const g = generateService(
      {
        name: 'tiny',
        owner: 'user:default/ada',
        image: 'ghcr.io/org/tiny',
        controller: 'none',
        environments: [{ name: 'staging' }],
      },
      profile(),
    );
    expect(g.files.map(f => f.path)).toEqual([
      'base/deployment.yaml',
      'base/kustomization.yaml',
      'base/service.yaml',
      'base/serviceaccount.yaml',
      'overlays/staging/kustomization.yaml',
    ]);
    expect(
      file(g, 'base/deployment.yaml').spec.template.spec.containers[0].envFrom,
    ).toBeUndefined();
  });

  it('pins a digest, puts the PDB in the base when every environment needs it, and orders environments by promotion', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    const g = generateService(
      {
        ...input,
        environments: [
          { name: 'production', imageTag: digest },
          { name: 'staging', imageTag: 'sha-4f2a9c1', replicas: 2 },
        ],
      },
      profile(),
    );
    expect(g.service.environments.map(e => e.name)).toEqual([
      'staging',
      'production',
    ]);
    expect(file(g, 'overlays/production/kustomization.yaml').images).toEqual([
      { name: 'registry.example.com/my-ai-service', digest },
    ]);
    expect(file(g, 'base/kustomization.yaml').resources).toContain('pdb.yaml');
    expect(g.files.map(f => f.path)).not.toContain(
      'overlays/production/pdb.yaml',
    );
    expect(file(g, 'base/deployment.yaml').spec.replicas).toBe(2);
  });

  it('is deterministic', () => {
    const a = generateService(input, profile());
    const b = generateService(structuredClone(input), profile());
    expect(a.files).toEqual(b.files);
  });

  it('follows the platform profile: namespaces, stores, labels, extra environments', () => {
    const g = generateService(
      { ...input, environments: undefined, secrets: [input.secrets![0]] },
      profile({
        labels: { 'example.com/cost-center': 'ml' },
        environments: [
          {
            name: 'dev',
            namespace: 'team-ml-{{environment}}',
            defaultTag: 'main',
          },
          {
            name: 'prod',
            tagPolicy: 'mutable',
            defaultTag: 'stable',
            secretStore: { name: 'vault', kind: 'SecretStore' },
          },
        ],
      }),
    );
    expect(
      g.service.environments.map(e => [e.name, e.namespace, e.tag]),
    ).toEqual([
      ['dev', 'team-ml-dev', 'main'],
      ['prod', 'my-ai-service-prod', 'stable'],
    ]);
    expect(
      file(g, 'base/kustomization.yaml').labels[0].pairs[
        'example.com/cost-center'
      ],
    ).toBe('ml');
    expect(
      file(g, 'overlays/prod/patch-externalsecret.yaml').spec.secretStoreRef,
    ).toEqual({ name: 'vault', kind: 'SecretStore' });
  });
});
