import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
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
  checkSecretProperty,
  checkSecretRemoteKey,
  findReservedNamespace,
  isImageDigest,
  isImmutableImageRef,
  matchesNamespaceGlob,
  parseOwnerRef,
} from '@goldenpath/plugin-gitops-common';
import {
  PlatformProfile,
  ProfileEnvironment,
  ProfilePatternValues,
  renderProfilePattern,
} from '../profile';
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
  const ownerParsed = parseOwnerRef(input.owner);
  if (ownerParsed.problem !== undefined) invalid('owner', ownerParsed.problem);
  const ownerRef = ownerParsed.ref;
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
    if (typeof secret.remoteKey !== 'string') {
      invalid(
        `${field}.remoteKey`,
        "must be a key of the external store, relative to the service's prefix",
      );
    }
    check(`${field}.remoteKey`, checkSecretRemoteKey(secret.remoteKey));
    if (secret.property !== undefined) {
      if (typeof secret.property !== 'string')
        invalid(`${field}.property`, 'must be a string');
      check(`${field}.property`, checkSecretProperty(secret.property));
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

  const environments = resolveEnvironments(
    input,
    profile,
    name,
    ownerRef,
    controller,
  );

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
    owner: stringifyEntityRef(ownerRef),
    ownerRef,
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
  ownerRef: CompoundEntityRef,
  controller: string,
): ResolvedEnvironment[] {
  const owner = { name: ownerRef.name, namespace: ownerRef.namespace };
  // A pattern that uses the owner blames the owner when its name cannot be
  // part of a Kubernetes name (e.g. a group called ml_team).
  const ownerFits = !checkDns1123Label(owner.name.toLocaleLowerCase('en-US'));
  const fieldFor = (pattern: string) =>
    /\{\{\s*owner\./.test(pattern) && !ownerFits ? 'owner' : 'name';

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

    const values: ProfilePatternValues = { name, environment: env.name, owner };
    const namespace = resolveNamespace(
      env.namespace,
      profileEnv,
      profile.reservedNamespaces,
      values,
      field,
      fieldFor(profileEnv.namespace),
    );

    const argocdProject = renderProfilePattern(
      profileEnv.argocd.project,
      values,
    );
    if (controller === 'argocd') {
      const projectProblem = checkDns1123Label(argocdProject);
      if (projectProblem) {
        invalid(
          fieldFor(profileEnv.argocd.project),
          `gives the Argo CD project "${argocdProject}" for ${env.name}, which ${projectProblem}`,
        );
      }
    }

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
      secretKeyPrefix: `${
        profileEnv.secretStore.keyPrefix
      }${renderProfilePattern(
        profileEnv.secretStore.serviceKeyPrefix,
        values,
      )}`,
      argocdProject,
      profile: profileEnv,
    };
  });
  // Promotion order is the profile's, whatever order the template lists them in.
  return resolved.sort((a, b) => known.indexOf(a.name) - known.indexOf(b.name));
}

const RESERVED_RULE =
  'services never go into kube-*, default, the Argo CD or Flux namespaces or gitops.reservedNamespaces';

/**
 * The namespace of one environment: the profile's pattern, or a template's
 * choice where the environment's `allowedNamespaces` permit it. Never a
 * reserved one.
 */
function resolveNamespace(
  requested: unknown,
  profileEnv: ProfileEnvironment,
  reserved: string[],
  values: ProfilePatternValues,
  field: string,
  derivedField: string,
): string {
  const derived = renderProfilePattern(profileEnv.namespace, values);
  if (requested === undefined || requested === derived) {
    const problem = checkDns1123Label(derived);
    if (problem) {
      invalid(
        derivedField,
        `gives the namespace "${derived}", which ${problem}`,
      );
    }
    const match = findReservedNamespace(derived, reserved);
    if (match) {
      invalid(
        derivedField,
        `gives the namespace "${derived}", which is reserved (matches "${match}"): ${RESERVED_RULE}`,
      );
    }
    return derived;
  }

  const key = `${field}.namespace`;
  if (typeof requested !== 'string') invalid(key, 'must be a string');
  check(key, checkDns1123Label(requested));
  const match = findReservedNamespace(requested, reserved);
  if (match) {
    invalid(
      key,
      `"${requested}" is reserved (matches "${match}"): ${RESERVED_RULE}`,
    );
  }
  const allowed = profileEnv.allowedNamespaces.map(p =>
    renderProfilePattern(p, values),
  );
  if (!allowed.some(p => matchesNamespaceGlob(requested, p))) {
    invalid(
      key,
      `"${requested}" is not allowed in ${
        values.environment
      }: the platform profile allows ${[
        `"${derived}"`,
        ...allowed.map(p => `"${p}"`),
      ].join(' or ')}${
        allowed.length === 0 ? ' only (no allowedNamespaces)' : ''
      }`,
    );
  }
  return requested;
}
