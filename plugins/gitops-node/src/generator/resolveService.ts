import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  DNS_LABEL_MAX_LENGTH,
  GITOPS_CONTROLLERS,
  checkDns1035Label,
  checkDns1123Label,
  checkEnvVarName,
  checkImageRepository,
  checkImageTagOrDigest,
  checkRepositoryPath,
  isImageDigest,
  isImmutableImageRef,
} from '@goldenpath/plugin-gitops-common';
import { PlatformProfile, resolveNamespacePattern } from '../profile';
import {
  configMapName,
  externalSecretName,
  controllerObjectName,
} from './names';
import type {
  ServiceEnvironmentInput,
  ResolvedEnvironment,
  ResolvedService,
  ServiceInput,
} from './types';

const CONFIG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HTTP_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
const REMOTE_KEY = /^[^\s]{1,512}$/;
const LIFECYCLE = /^[a-z][a-z0-9-]{0,62}$/;

function invalid(field: string, rule: string): never {
  throw new InputError(`${field} ${rule}`);
}

function check(field: string, problem: string | undefined) {
  if (problem) invalid(field, problem);
}

function checkEntityRef(
  field: string,
  value: string,
  defaultKind: string,
  example: string,
) {
  try {
    parseEntityRef(value, { defaultKind, defaultNamespace: 'default' });
  } catch (e) {
    invalid(
      field,
      `must be an entity reference such as ${example} (${
        (e as Error).message
      })`,
    );
  }
}

function optionalText(field: string, value: unknown, max: number) {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') invalid(field, 'must be a string');
  if (value.length > max) invalid(field, `must be at most ${max} characters`);
  return value;
}

/**
 * Checks a developer's input against the platform profile and makes every
 * remaining choice (defaults, namespaces, tiers, tags). Throws an InputError
 * naming the field and the rule on the first problem; nothing is written
 * before this has passed.
 *
 * @public
 */
export function resolveService(
  input: ServiceInput,
  profile: PlatformProfile,
): ResolvedService {
  if (typeof input.name !== 'string') invalid('name', 'is required');
  const name = input.name;
  check('name', checkDns1035Label(name));

  if (typeof input.owner !== 'string' || !input.owner) {
    invalid(
      'owner',
      'is required (an entity reference such as group:default/ml-team)',
    );
  }
  checkEntityRef('owner', input.owner, 'group', 'group:default/ml-team');
  const description = optionalText('description', input.description, 1024);
  const system = optionalText('system', input.system, 253);
  if (system) {
    checkEntityRef('system', system, 'system', 'system:default/ai-platform');
  }
  const lifecycle =
    optionalText('lifecycle', input.lifecycle, 63) ?? 'experimental';
  if (!LIFECYCLE.test(lifecycle)) {
    invalid(
      'lifecycle',
      'must be a lowercase word such as experimental, production or deprecated',
    );
  }

  if (typeof input.image !== 'string') invalid('image', 'is required');
  check('image', checkImageRepository(input.image));

  const port = input.port ?? 8080;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    invalid('port', 'must be a whole number from 1 to 65535');
  }

  const healthPaths = {
    readiness: input.healthPaths?.readiness ?? '/health/ready',
    liveness: input.healthPaths?.liveness ?? '/health/live',
  };
  for (const [key, path] of Object.entries(healthPaths)) {
    if (
      typeof path !== 'string' ||
      !HTTP_PATH.test(path) ||
      path.length > 1024
    ) {
      invalid(
        `healthPaths.${key}`,
        'must be an HTTP path starting with "/" (no spaces or query string)',
      );
    }
  }

  const config: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(input.config ?? {})) {
    if (!CONFIG_KEY.test(key)) {
      invalid(
        `config.${key}`,
        'is not a valid environment variable name: use letters, digits and "_", not starting with a digit',
      );
    }
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      invalid(`config.${key}`, 'must be a string, number or boolean');
    }
    config.push([key, String(value)]);
  }
  config.sort(([a], [b]) => (a < b ? -1 : 1));

  const secretNames = new Set<string>();
  const secrets = (input.secrets ?? []).map((secret, i) => {
    const field = `secrets[${i}]`;
    if (!secret || typeof secret !== 'object')
      invalid(field, 'must be an object with name and remoteKey');
    const extra = Object.keys(secret).filter(
      k => !['name', 'remoteKey', 'property'].includes(k),
    );
    if (extra.length > 0) {
      invalid(
        `${field}.${extra[0]}`,
        'is not allowed: secrets are references to an external store (name, remoteKey, property), never values',
      );
    }
    if (typeof secret.name !== 'string')
      invalid(`${field}.name`, 'is required');
    check(`${field}.name`, checkEnvVarName(secret.name));
    if (secretNames.has(secret.name))
      invalid(`${field}.name`, `"${secret.name}" is listed twice`);
    secretNames.add(secret.name);
    if (config.some(([key]) => key === secret.name)) {
      invalid(
        `${field}.name`,
        `"${secret.name}" is also a config key; a variable must come from one place`,
      );
    }
    if (
      typeof secret.remoteKey !== 'string' ||
      !REMOTE_KEY.test(secret.remoteKey)
    ) {
      invalid(
        `${field}.remoteKey`,
        'must be a key of the external store: 1 to 512 characters, no spaces',
      );
    }
    if (
      secret.property !== undefined &&
      (typeof secret.property !== 'string' || !REMOTE_KEY.test(secret.property))
    ) {
      invalid(`${field}.property`, 'must be 1 to 512 characters, no spaces');
    }
    return {
      name: secret.name,
      remoteKey: secret.remoteKey,
      ...(secret.property ? { property: secret.property } : {}),
    };
  });

  const controller = input.controller ?? profile.defaultController;
  if (!GITOPS_CONTROLLERS.includes(controller)) {
    invalid('controller', `must be one of ${GITOPS_CONTROLLERS.join(', ')}`);
  }
  if (controller === 'argocd' && !profile.repository.url) {
    invalid(
      'controller',
      'argocd needs gitops.repository.url in app-config (the repoURL of the Applications)',
    );
  }

  const targetPath = (
    input.targetPath ?? `${profile.repository.appsPath}/${name}`
  ).replace(/\/+$/, '');
  check('targetPath', checkRepositoryPath(targetPath));

  const environments = resolveEnvironments(input, profile, name);

  // Every name derived from the service name must still be a valid label.
  const derived = [configMapName(name), externalSecretName(name)];
  if (controller !== 'none') {
    derived.push(...environments.map(e => controllerObjectName(name, e.name)));
  }
  for (const value of derived) {
    if (value.length > DNS_LABEL_MAX_LENGTH) {
      invalid(
        'name',
        `is too long: the derived name "${value}" has ${value.length} characters, more than ${DNS_LABEL_MAX_LENGTH}`,
      );
    }
  }

  return {
    name,
    owner: input.owner,
    description,
    system,
    lifecycle,
    image: input.image,
    port,
    healthPaths,
    config,
    secrets,
    controller,
    targetPath,
    environments,
  };
}

function resolveEnvironments(
  input: ServiceInput,
  profile: PlatformProfile,
  name: string,
): ResolvedEnvironment[] {
  const requested: ServiceEnvironmentInput[] =
    input.environments ?? profile.environments.map(e => ({ name: e.name }));
  if (!Array.isArray(requested) || requested.length === 0) {
    invalid('environments', 'must list at least one environment');
  }
  const known = profile.environments.map(e => e.name);
  const seen = new Set<string>();
  const resolved = requested.map((env, i) => {
    const field = `environments[${i}]`;
    const profileEnv = profile.environments.find(e => e.name === env?.name);
    if (!profileEnv) {
      invalid(
        `${field}.name`,
        `"${
          env?.name
        }" is not an environment of the platform profile (${known.join(', ')})`,
      );
    }
    if (seen.has(env.name))
      invalid(`${field}.name`, `"${env.name}" is listed twice`);
    seen.add(env.name);

    const namespace =
      env.namespace ??
      resolveNamespacePattern(profileEnv.namespace, name, env.name);
    check(
      env.namespace ? `${field}.namespace` : 'name',
      namespaceProblem(namespace, env.namespace === undefined),
    );

    const replicas = env.replicas ?? profileEnv.replicas;
    if (!Number.isInteger(replicas) || replicas < 0 || replicas > 100) {
      invalid(`${field}.replicas`, 'must be a whole number from 0 to 100');
    }

    const ref = env.imageTag ?? profileEnv.defaultTag;
    if (ref === undefined || ref === '') {
      invalid(
        `${field}.imageTag`,
        `is required for ${env.name}: the profile gives it no default tag`,
      );
    }
    check(`${field}.imageTag`, checkImageTagOrDigest(ref));
    if (profileEnv.tagPolicy === 'immutable' && !isImmutableImageRef(ref)) {
      invalid(
        `${field}.imageTag`,
        `"${ref}" is a moving tag, but ${env.name} only accepts immutable ones: use a semantic version (v1.2.3), a commit SHA or a sha256: digest`,
      );
    }

    return {
      name: env.name,
      namespace,
      cluster: profileEnv.cluster,
      replicas,
      resourceTierName: profileEnv.resourceTier,
      resources: profile.resourceTiers[profileEnv.resourceTier],
      ...(isImageDigest(ref) ? { digest: ref } : { tag: ref }),
      secretStore: profileEnv.secretStore,
      profile: profileEnv,
    };
  });
  // Promotion order is the profile's, whatever order the template lists them in.
  return resolved.sort((a, b) => known.indexOf(a.name) - known.indexOf(b.name));
}

function namespaceProblem(
  namespace: string,
  derived: boolean,
): string | undefined {
  const problem = checkDns1123Label(namespace);
  if (problem && derived) {
    return `gives the namespace "${namespace}", which ${problem}`;
  }
  return problem;
}
