import type { Entity } from '@backstage/catalog-model';
import { fakeApplication, FakeApplication } from '@internal/fake-argocd';
import type { ServiceInput } from '@goldenpath/plugin-gitops-node';

/**
 * The benchmark's world, as pure data: N services, each deployed to three
 * environments, owned by teams of a fixed size. Everything the fake Argo CD,
 * the catalog and the GitOps repository hold is derived from here, and so is
 * the answer each backend must give.
 */

export const ENVIRONMENTS = ['dev', 'staging', 'production'] as const;
export type BenchEnvironment = (typeof ENVIRONMENTS)[number];

export const ARGOCD_INSTANCE = 'bench';
export const IMAGE_REGISTRY = 'registry.example.com/bench';

export function serviceName(index: number): string {
  return `svc-${String(index + 1).padStart(5, '0')}`;
}

export function teamName(index: number, teamSize: number): string {
  return `team-${String(Math.floor(index / teamSize) + 1).padStart(3, '0')}`;
}

export function appSelector(index: number): string {
  return `app.kubernetes.io/name=${serviceName(index)}`;
}

/** The tag Git wants for a service in an environment. */
export function desiredTag(index: number, env: BenchEnvironment): string {
  const minor = index % 40;
  switch (env) {
    case 'dev':
      return `sha-${(index * 2654435761)
        .toString(16)
        .slice(-7)
        .padStart(7, '0')}`;
    case 'staging':
      return `v1.${minor + 1}.0`;
    default:
      return `v1.${minor}.0`;
  }
}

export interface ExpectedEnvironment {
  environment: BenchEnvironment;
  desiredTag: string;
  liveTag: string;
  sync: 'Synced' | 'OutOfSync';
  health: 'Healthy' | 'Progressing' | 'Degraded';
}

/**
 * What runs: most environments match Git; every 7th production lags one
 * release (out of sync, degraded), every 11th staging is still progressing.
 */
export function expectedEnvironment(
  index: number,
  env: BenchEnvironment,
): ExpectedEnvironment {
  const desired = desiredTag(index, env);
  if (env === 'production' && index % 7 === 3) {
    return {
      environment: env,
      desiredTag: desired,
      liveTag: `v1.${Math.max(0, (index % 40) - 1)}.9`,
      sync: 'OutOfSync',
      health: 'Degraded',
    };
  }
  if (env === 'staging' && index % 11 === 5) {
    return {
      environment: env,
      desiredTag: desired,
      liveTag: desired,
      sync: 'Synced',
      health: 'Progressing',
    };
  }
  return {
    environment: env,
    desiredTag: desired,
    liveTag: desired,
    sync: 'Synced',
    health: 'Healthy',
  };
}

export function expectedEnvironments(index: number): ExpectedEnvironment[] {
  return ENVIRONMENTS.map(env => expectedEnvironment(index, env));
}

const KINDS = [
  ['ServiceAccount', ''],
  ['ConfigMap', ''],
  ['Service', ''],
  ['Deployment', 'apps'],
  ['PodDisruptionBudget', 'policy'],
  ['ExternalSecret', 'external-secrets.io'],
] as const;

/**
 * One Argo CD Application as the API server returns it, with the resource
 * tree summary and sync history a real one carries, so that answers which
 * pass whole Applications through are as large as they are in production.
 */
export function benchApplication(
  index: number,
  env: BenchEnvironment,
): FakeApplication {
  const name = serviceName(index);
  const expected = expectedEnvironment(index, env);
  const namespace = `${name}-${env}`;
  const app = fakeApplication({
    service: name,
    environment: env,
    namespace,
    images: [`${IMAGE_REGISTRY}/${name}:${expected.liveTag}`],
    sync: expected.sync,
    health: expected.health,
    revision: revision(index, env, 0),
  }) as FakeApplication & Record<string, any>;
  const status = app.status as Record<string, any>;
  status.resources = KINDS.map(([kind, group]) => ({
    group,
    version: 'v1',
    kind,
    namespace,
    name,
    status: expected.sync,
    ...(kind === 'Deployment' ||
    kind === 'Service' ||
    kind === 'PodDisruptionBudget'
      ? { health: { status: expected.health } }
      : {}),
  }));
  status.history = Array.from({ length: 10 }, (_, i) => ({
    id: i,
    revision: revision(index, env, 10 - i),
    deployedAt: new Date(Date.UTC(2026, 10, 1 + i, 9)).toISOString(),
    deployStartedAt: new Date(Date.UTC(2026, 10, 1 + i, 8, 59)).toISOString(),
    source: {
      repoURL: 'https://github.com/example-org/gitops.git',
      path: `apps/${name}/overlays/${env}`,
      targetRevision: 'main',
    },
  }));
  status.sourceType = 'Kustomize';
  status.reconciledAt = '2026-11-22T09:00:00Z';
  app.spec = {
    ...app.spec,
    source: {
      repoURL: 'https://github.com/example-org/gitops.git',
      path: `apps/${name}/overlays/${env}`,
      targetRevision: 'main',
    },
    syncPolicy: {
      automated: { prune: true, selfHeal: true },
      syncOptions: ['CreateNamespace=true'],
    },
  } as FakeApplication['spec'];
  return app;
}

function revision(index: number, env: BenchEnvironment, age: number) {
  const seed = (index * 31 + ENVIRONMENTS.indexOf(env) * 7 + age) >>> 0;
  return (seed.toString(16).padStart(8, '0') + 'a'.repeat(32)).slice(0, 40);
}

/**
 * The Applications of services [0, services), or of [from, to) when called
 * with two arguments (one Argo CD instance's share of a fleet).
 */
export function buildApplications(services: number): FakeApplication[];
export function buildApplications(from: number, to: number): FakeApplication[];
export function buildApplications(a: number, b?: number): FakeApplication[] {
  const [from, to] = b === undefined ? [0, a] : [a, b];
  const apps: FakeApplication[] = [];
  for (let i = from; i < to; i++) {
    for (const env of ENVIRONMENTS) apps.push(benchApplication(i, env));
  }
  return apps;
}

/** The name of the k-th Argo CD instance of a fleet: the first is the catalog's. */
export function instanceName(k: number): string {
  return k === 0 ? ARGOCD_INSTANCE : `${ARGOCD_INSTANCE}-${k + 1}`;
}

export interface FleetInstance {
  name: string;
  /** First service it holds. */
  from: number;
  /** One past the last service it holds. */
  to: number;
}

/**
 * How `services` are spread over `instances` Argo CD instances: contiguous
 * blocks of B = ceil(services / instances), instance k holding services
 * [k*B, (k+1)*B) (the last one what is left, possibly nothing). Instance 0
 * is `ARGOCD_INSTANCE`, so the catalog's components (the first services,
 * annotated with it) stay where their annotation says.
 */
export function fleetInstances(
  services: number,
  instances: number,
): FleetInstance[] {
  if (!Number.isInteger(instances) || instances < 1) {
    throw new Error(`a fleet needs at least one instance, got ${instances}`);
  }
  const block = Math.ceil(services / instances);
  return Array.from({ length: instances }, (_, k) => ({
    name: instanceName(k),
    from: Math.min(k * block, services),
    to: Math.min((k + 1) * block, services),
  }));
}

/** The catalog's component for a service, annotated for all three plugins. */
export function benchComponent(index: number, teamSize: number): Entity {
  const name = serviceName(index);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: {
        'gitops/path': `apps/${name}`,
        'argocd/app-selector': appSelector(index),
        'argocd/instance-name': ARGOCD_INSTANCE,
        'backstage.io/kubernetes-id': name,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: `group:default/${teamName(index, teamSize)}`,
    },
  };
}

/** The golden path's input for a service, as the template would pass it. */
export function benchServiceInput(index: number): ServiceInput {
  const name = serviceName(index);
  return {
    name,
    owner: 'group:default/team-001',
    image: `${IMAGE_REGISTRY}/${name}`,
    config: { LOG_LEVEL: 'info' },
    secrets: [{ name: 'DATABASE_URL', remoteKey: `${name}-database-url` }],
    environments: ENVIRONMENTS.map(env => ({
      name: env,
      imageTag: desiredTag(index, env),
    })),
  };
}

/** The platform profile the benchmark's GitOps repository is written with. */
export function benchProfileConfig(repositoryPath: string) {
  return {
    repository: {
      localPath: repositoryPath,
      url: 'https://github.com/example-org/gitops.git',
      branch: 'main',
      appsPath: 'apps',
    },
    defaultController: 'argocd',
    secretStore: { name: 'platform-secrets', kind: 'ClusterSecretStore' },
    environments: ENVIRONMENTS.map(env => ({
      name: env,
      namespace: `{{name}}-${env}`,
      cluster: `${env}-eu-1`,
      replicas: env === 'production' ? 3 : 1,
      resourceTier: env === 'production' ? 'medium' : 'small',
      tagPolicy: env === 'production' ? 'immutable' : 'mutable',
      secretStore: { keyPrefix: `${env}/` },
    })),
  };
}
