import { Config } from '@backstage/config';
import {
  BUILTIN_RESERVED_NAMESPACES,
  GITOPS_CONTROLLERS,
  GitopsController,
  TagPolicy,
  checkDns1123Label,
  checkNamespaceGlob,
  checkRepositoryPath,
  checkSecretKeyPrefix,
  findReservedNamespace,
} from '@goldenpath/plugin-gitops-common';
import { resolve } from 'node:path';
import {
  DEFAULT_ARGOCD,
  DEFAULT_ENVIRONMENTS,
  DEFAULT_FLUX,
  DEFAULT_NAMESPACE_PATTERN,
  DEFAULT_RESOURCE_TIERS,
  DEFAULT_SECRET_STORE,
  DEFAULT_SERVICE_KEY_PREFIX,
} from './defaults';
import {
  checkProfilePattern,
  hasPlaceholders,
  renderProfilePattern,
} from './patterns';
import type {
  PlatformProfile,
  ProfileEnvironment,
  ResourceTier,
  SecretStoreKind,
} from './types';

/** Options of {@link readPlatformProfile}. @public */
export interface ReadPlatformProfileOptions {
  /** Folder a relative `gitops.repository.localPath` is resolved against. Defaults to the process working directory, as for catalog file locations. */
  baseDir?: string;
}

function fail(key: string, rule: string): never {
  throw new Error(`Invalid app-config: gitops.${key} ${rule}`);
}

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  key: string,
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    fail(key, `must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

function checkPattern(key: string, pattern: string) {
  const problem = checkProfilePattern(pattern);
  if (problem) fail(key, problem);
}

// A namespace pattern with every placeholder filled by a plain label, so
// its literal parts and `*` can be checked as a namespace glob.
const asGlob = (pattern: string) =>
  renderProfilePattern(pattern, {
    name: 'a',
    environment: 'a',
    owner: { name: 'a', namespace: 'a' },
  });

// The service's segment must be a whole path segment followed by "/": with
// `{{name}}-`, service `svc` could read `svc-other/...`, which is the keys
// of service `svc-other`.
const CONFINING_SERVICE_PREFIX = /(^|\/)\{\{\s*name\s*\}\}\//;

function readSecretStore(
  key: string,
  env: Config | undefined,
  global: Config | undefined,
) {
  // The key the value came from, so an error names what to fix.
  const from = (k: string) =>
    env?.has(`secretStore.${k}`)
      ? `${key}.secretStore.${k}`
      : `secretStore.${k}`;
  const str = (k: string) =>
    env?.getOptionalString(`secretStore.${k}`) ?? global?.getOptionalString(k);
  const allowSharedKeys =
    env?.getOptionalBoolean('secretStore.allowSharedKeys') ??
    global?.getOptionalBoolean('allowSharedKeys') ??
    false;

  const keyPrefix = str('keyPrefix') ?? '';
  const prefixProblem = checkSecretKeyPrefix(keyPrefix);
  if (prefixProblem) fail(from('keyPrefix'), prefixProblem);
  if (/[{}]/.test(keyPrefix)) {
    fail(
      from('keyPrefix'),
      'must not contain placeholders: put them in secretStore.serviceKeyPrefix',
    );
  }

  const serviceKeyPrefix =
    str('serviceKeyPrefix') ??
    (allowSharedKeys ? '' : DEFAULT_SERVICE_KEY_PREFIX);
  checkPattern(from('serviceKeyPrefix'), serviceKeyPrefix);
  const serviceProblem = checkSecretKeyPrefix(asGlob(serviceKeyPrefix));
  if (serviceProblem) fail(from('serviceKeyPrefix'), serviceProblem);
  if (serviceKeyPrefix.startsWith('/')) {
    fail(from('serviceKeyPrefix'), 'must not start with "/"');
  }
  if (!allowSharedKeys && !CONFINING_SERVICE_PREFIX.test(serviceKeyPrefix)) {
    fail(
      from('serviceKeyPrefix'),
      'must contain {{name}} as a whole path segment followed by "/" (e.g. {{name}}/ or {{owner.name}}/{{name}}/), so a service reads only its own keys; set secretStore.allowSharedKeys: true to opt out',
    );
  }

  return {
    name: str('name') ?? DEFAULT_SECRET_STORE.name,
    kind: oneOf<SecretStoreKind>(
      str('kind'),
      ['SecretStore', 'ClusterSecretStore'],
      from('kind'),
      DEFAULT_SECRET_STORE.kind,
    ),
    keyPrefix,
    serviceKeyPrefix,
    allowSharedKeys,
    refreshInterval:
      str('refreshInterval') ?? DEFAULT_SECRET_STORE.refreshInterval,
  };
}

function readTiers(config: Config | undefined): Record<string, ResourceTier> {
  const tiers: Record<string, ResourceTier> = { ...DEFAULT_RESOURCE_TIERS };
  for (const name of config?.keys() ?? []) {
    const tier = config!.getConfig(name);
    tiers[name] = {
      requests: {
        cpu: tier.getOptionalString('requests.cpu'),
        memory: tier.getOptionalString('requests.memory'),
      },
      limits: {
        cpu: tier.getOptionalString('limits.cpu'),
        memory: tier.getOptionalString('limits.memory'),
      },
    };
    if (!tiers[name].requests.cpu || !tiers[name].requests.memory) {
      fail(`resourceTiers.${name}.requests`, 'must set both cpu and memory');
    }
    if (!tiers[name].limits.memory) {
      fail(`resourceTiers.${name}.limits.memory`, 'must be set');
    }
  }
  return tiers;
}

/**
 * Reads the platform profile from `gitops.*`, filling in the golden path's
 * defaults, and checks it: a mistake in app-config fails at start-up with
 * the key that is wrong rather than at the first template run.
 *
 * @public
 */
export function readPlatformProfile(
  config: Config,
  options: ReadPlatformProfileOptions = {},
): PlatformProfile {
  const root = config.getOptionalConfig('gitops');
  const get = <T>(fn: (c: Config) => T | undefined): T | undefined =>
    root ? fn(root) : undefined;

  const resourceTiers = readTiers(
    get(c => c.getOptionalConfig('resourceTiers')),
  );

  const globalStore = get(c => c.getOptionalConfig('secretStore'));
  const globalArgo = get(c => c.getOptionalConfig('argocd.application'));
  const globalFlux = get(c => c.getOptionalConfig('flux.kustomization'));

  const envConfigs = get(c => c.getOptionalConfigArray('environments'));
  const rawEnvs: Array<{
    key: string;
    config?: Config;
    defaults?: (typeof DEFAULT_ENVIRONMENTS)[number];
  }> =
    envConfigs && envConfigs.length > 0
      ? envConfigs.map((c, i) => ({ key: `environments[${i}]`, config: c }))
      : DEFAULT_ENVIRONMENTS.map((d, i) => ({
          key: `environments[${i}]`,
          defaults: d,
        }));

  const seen = new Set<string>();
  const environments: ProfileEnvironment[] = rawEnvs.map(
    ({ key, config: c, defaults: d }) => {
      const name = c?.getString('name') ?? d!.name;
      const nameProblem = checkDns1123Label(name);
      if (nameProblem) fail(`${key}.name`, nameProblem);
      if (seen.has(name)) fail(`${key}.name`, `"${name}" is listed twice`);
      seen.add(name);

      const replicas = c?.getOptionalNumber('replicas') ?? d?.replicas ?? 1;
      if (!Number.isInteger(replicas) || replicas < 0) {
        fail(`${key}.replicas`, 'must be a whole number of at least 0');
      }
      const resourceTier =
        c?.getOptionalString('resourceTier') ?? d?.resourceTier ?? 'small';
      if (!resourceTiers[resourceTier]) {
        fail(
          `${key}.resourceTier`,
          `"${resourceTier}" is not one of the resource tiers (${Object.keys(
            resourceTiers,
          ).join(', ')})`,
        );
      }
      const tagPolicy = oneOf<TagPolicy>(
        c?.getOptionalString('tagPolicy'),
        ['mutable', 'immutable'],
        `${key}.tagPolicy`,
        d?.tagPolicy ?? 'mutable',
      );

      const argo = (k: string) =>
        c?.getOptional(`argocd.${k}`) ?? globalArgo?.getOptional(k);
      const flux = (k: string) =>
        c?.getOptional(`flux.${k}`) ?? globalFlux?.getOptional(k);

      const argoKey = (k: string) =>
        c?.has(`argocd.${k}`)
          ? `${key}.argocd.${k}`
          : `argocd.application.${k}`;

      const namespace =
        c?.getOptionalString('namespace') ?? DEFAULT_NAMESPACE_PATTERN;
      checkPattern(`${key}.namespace`, namespace);
      const namespaceProblem = checkNamespaceGlob(asGlob(namespace));
      if (namespaceProblem || namespace.includes('*')) {
        fail(
          `${key}.namespace`,
          namespaceProblem ??
            'must be a namespace pattern without "*" (use allowedNamespaces for choices)',
        );
      }
      const allowedNamespaces =
        c?.getOptionalStringArray('allowedNamespaces') ?? [];
      allowedNamespaces.forEach((pattern, j) => {
        const allowedKey = `${key}.allowedNamespaces[${j}]`;
        checkPattern(allowedKey, pattern);
        const problem = checkNamespaceGlob(asGlob(pattern));
        if (problem) fail(allowedKey, problem);
      });

      const project = (argo('project') as string) ?? DEFAULT_ARGOCD.project;
      checkPattern(argoKey('project'), project);
      if (!hasPlaceholders(project)) {
        const projectProblem = checkDns1123Label(project);
        if (projectProblem) fail(argoKey('project'), projectProblem);
      }

      return {
        name,
        namespace,
        allowedNamespaces,
        cluster: c?.getOptionalString('cluster'),
        replicas,
        resourceTier,
        tagPolicy,
        defaultTag: c?.getOptionalString('defaultTag') ?? d?.defaultTag,
        secretStore: readSecretStore(key, c, globalStore),
        argocd: {
          project,
          namespace: (argo('namespace') as string) ?? DEFAULT_ARGOCD.namespace,
          destinationServer:
            (argo('destination.server') as string | undefined) ??
            (argo('destination.name')
              ? undefined
              : DEFAULT_ARGOCD.destinationServer),
          destinationName: argo('destination.name') as string | undefined,
          automated:
            (argo('syncPolicy.automated') as boolean) ??
            DEFAULT_ARGOCD.automated,
          prune: (argo('syncPolicy.prune') as boolean) ?? DEFAULT_ARGOCD.prune,
          selfHeal:
            (argo('syncPolicy.selfHeal') as boolean) ?? DEFAULT_ARGOCD.selfHeal,
          createNamespace:
            (argo('syncPolicy.createNamespace') as boolean) ??
            DEFAULT_ARGOCD.createNamespace,
        },
        flux: {
          namespace: (flux('namespace') as string) ?? DEFAULT_FLUX.namespace,
          sourceKind: oneOf(
            flux('sourceRef.kind') as string | undefined,
            ['GitRepository', 'OCIRepository', 'Bucket'] as const,
            `${key}.flux.sourceRef.kind`,
            DEFAULT_FLUX.sourceKind,
          ),
          sourceName:
            (flux('sourceRef.name') as string) ?? DEFAULT_FLUX.sourceName,
          sourceNamespace: flux('sourceRef.namespace') as string | undefined,
          interval: (flux('interval') as string) ?? DEFAULT_FLUX.interval,
          timeout: (flux('timeout') as string) ?? DEFAULT_FLUX.timeout,
          prune: (flux('prune') as boolean) ?? DEFAULT_FLUX.prune,
        },
      };
    },
  );

  const reservedNamespaces = readReservedNamespaces(
    get(c => c.getOptionalStringArray('reservedNamespaces')) ?? [],
    environments,
  );

  // `source: url` lets a production config turn off the localPath that the
  // embedded-default app-config.yaml sets (config layers cannot unset a key).
  const source = get(c => c.getOptionalString('repository.source'));
  if (source !== undefined && source !== 'local' && source !== 'url') {
    fail('repository.source', `must be one of local, url, got "${source}"`);
  }
  const localPath =
    source === 'url'
      ? undefined
      : get(c => c.getOptionalString('repository.localPath'));
  const appsPath =
    get(c => c.getOptionalString('repository.appsPath')) ?? 'apps';
  const appsProblem = checkRepositoryPath(appsPath);
  if (appsProblem) fail('repository.appsPath', appsProblem);

  const pdbMin =
    get(c => c.getOptionalNumber('podDisruptionBudget.minReplicas')) ?? 2;

  return {
    environments,
    reservedNamespaces,
    repository: {
      localPath: localPath
        ? resolve(options.baseDir ?? process.cwd(), localPath)
        : undefined,
      url: get(c => c.getOptionalString('repository.url')),
      branch: get(c => c.getOptionalString('repository.branch')) ?? 'main',
      appsPath: appsPath.replace(/\/+$/, ''),
    },
    defaultController: oneOf<GitopsController>(
      get(c => c.getOptionalString('defaultController')),
      GITOPS_CONTROLLERS,
      'defaultController',
      'argocd',
    ),
    resourceTiers,
    labels:
      get(c => c.getOptionalConfig('labels'))?.get<Record<string, string>>() ??
      {},
    partOf: get(c => c.getOptionalString('partOf')),
    podDisruptionBudgetMinReplicas: pdbMin,
    kubectl: {
      validate: get(c => c.getOptionalBoolean('kubectl.validate')) ?? true,
      path: get(c => c.getOptionalString('kubectl.path')) ?? 'kubectl',
    },
  };
}

// kube-*, default, every namespace Argo CD or Flux runs in, and the
// profile's own list. A fixed namespace pattern that is reserved is a
// mistake of the profile, reported at start-up.
function readReservedNamespaces(
  configured: string[],
  environments: ProfileEnvironment[],
): string[] {
  configured.forEach((pattern, j) => {
    const problem = checkNamespaceGlob(pattern);
    if (problem) fail(`reservedNamespaces[${j}]`, problem);
  });
  const controllers = environments.flatMap(e => [
    e.argocd.namespace,
    e.flux.namespace,
    ...(e.flux.sourceNamespace ? [e.flux.sourceNamespace] : []),
  ]);
  const reserved = [
    ...new Set([...BUILTIN_RESERVED_NAMESPACES, ...controllers, ...configured]),
  ];
  environments.forEach((e, i) => {
    if (hasPlaceholders(e.namespace)) return;
    const match = findReservedNamespace(e.namespace, reserved);
    if (match) {
      fail(
        `environments[${i}].namespace`,
        `"${e.namespace}" is reserved (matches "${match}"): services never go into kube-*, default, the Argo CD or Flux namespaces or gitops.reservedNamespaces`,
      );
    }
  });
  return reserved;
}

/**
 * The namespace an environment uses for a service, from the profile's
 * pattern.
 *
 * @public
 */
export function resolveNamespacePattern(
  pattern: string,
  service: string,
  environment: string,
  owner?: { name: string; namespace: string },
): string {
  return renderProfilePattern(pattern, { name: service, environment, owner });
}
