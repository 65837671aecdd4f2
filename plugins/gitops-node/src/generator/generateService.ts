import {
  APP_NAME_LABEL,
  APP_PART_OF_LABEL,
  ARGOCD_APP_SELECTOR_ANNOTATION,
  GITOPS_ENVIRONMENT_LABEL,
  GITOPS_PATH_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
} from '@goldenpath/plugin-gitops-common';
import { parseEntityRef } from '@backstage/catalog-model';
import { stringify } from 'yaml';
import type { PlatformProfile } from '../profile';
import * as k8s from './objects';
import { resolveService } from './resolveService';
import type {
  GeneratedFile,
  GeneratedService,
  KubernetesObject,
  ResolvedEnvironment,
  ResolvedService,
  ServiceInput,
} from './types';

const KUSTOMIZE_API = 'kustomize.config.k8s.io/v1beta1';

/** YAML as the repository keeps it: block style, no line folding, one trailing newline. */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, indentSeq: true });
}

const sameResources = (a: ResolvedEnvironment, b: ResolvedEnvironment) =>
  JSON.stringify(a.resources) === JSON.stringify(b.resources);

const sameSecretStore = (a: ResolvedEnvironment, b: ResolvedEnvironment) =>
  JSON.stringify(a.secretStore) === JSON.stringify(b.secretStore) &&
  a.secretKeyPrefix === b.secretKeyPrefix;

function commonLabels(s: ResolvedService, profile: PlatformProfile) {
  const partOf = s.system
    ? parseEntityRef(s.system, {
        defaultKind: 'system',
        defaultNamespace: 'default',
      }).name
    : profile.partOf;
  return {
    ...profile.labels,
    [APP_NAME_LABEL]: s.name,
    ...(partOf ? { [APP_PART_OF_LABEL]: partOf } : {}),
  };
}

/**
 * Generates a service's GitOps tree: a Kustomize base, one overlay per
 * environment and the controller objects. Pure: the same input and profile
 * always give the same files, byte for byte.
 *
 * The base carries the first environment's values (promotion order); each
 * overlay patches only what differs from it.
 *
 * @public
 */
export function generateService(
  input: ServiceInput,
  profile: PlatformProfile,
): GeneratedService {
  const s = resolveService(input, profile);
  const files: GeneratedFile[] = [];
  const objects: GeneratedService['objects'] = [];
  const add = (path: string, value: unknown, isObject = true) => {
    files.push({ path, content: toYaml(value) });
    if (isObject) objects.push({ path, object: value as KubernetesObject });
  };

  const base = s.environments[0];
  const pdbMin = profile.podDisruptionBudgetMinReplicas;
  const needsPdb = (e: ResolvedEnvironment) => e.replicas >= pdbMin;
  const pdbInBase = s.environments.every(needsPdb);

  // base/
  const baseResources = [
    'serviceaccount.yaml',
    'deployment.yaml',
    'service.yaml',
  ];
  add('base/serviceaccount.yaml', k8s.serviceAccount(s));
  add('base/deployment.yaml', k8s.deployment(s, base));
  add('base/service.yaml', k8s.service(s));
  if (s.config.length > 0) {
    baseResources.push('configmap.yaml');
    add('base/configmap.yaml', k8s.configMap(s));
  }
  if (s.secrets.length > 0) {
    baseResources.push('externalsecret.yaml');
    add('base/externalsecret.yaml', k8s.externalSecret(s, base));
  }
  if (pdbInBase) {
    baseResources.push('pdb.yaml');
    add('base/pdb.yaml', k8s.podDisruptionBudget(s));
  }
  add(
    'base/kustomization.yaml',
    {
      apiVersion: KUSTOMIZE_API,
      kind: 'Kustomization',
      resources: baseResources,
      // `labels` rather than the deprecated `commonLabels`, and without
      // selectors: selectors are immutable once a Deployment exists.
      labels: [
        {
          pairs: commonLabels(s, profile),
          includeSelectors: false,
          includeTemplates: true,
        },
      ],
    },
    false,
  );

  // overlays/<env>/
  for (const env of s.environments) {
    const dir = `overlays/${env.name}`;
    const resources = ['../../base'];
    const patches: Array<{ path: string }> = [];
    if (!pdbInBase && needsPdb(env)) {
      resources.push('pdb.yaml');
      add(`${dir}/pdb.yaml`, k8s.podDisruptionBudget(s));
    }
    if (env.replicas !== base.replicas) {
      patches.push({ path: 'patch-replicas.yaml' });
      add(`${dir}/patch-replicas.yaml`, k8s.replicasPatch(s, env), false);
    }
    if (!sameResources(env, base)) {
      patches.push({ path: 'patch-resources.yaml' });
      add(`${dir}/patch-resources.yaml`, k8s.resourcesPatch(s, env), false);
    }
    if (s.secrets.length > 0 && !sameSecretStore(env, base)) {
      patches.push({ path: 'patch-externalsecret.yaml' });
      add(
        `${dir}/patch-externalsecret.yaml`,
        k8s.externalSecretPatch(s, env),
        false,
      );
    }
    add(
      `${dir}/kustomization.yaml`,
      {
        apiVersion: KUSTOMIZE_API,
        kind: 'Kustomization',
        namespace: env.namespace,
        resources,
        labels: [
          {
            pairs: { [GITOPS_ENVIRONMENT_LABEL]: env.name },
            includeSelectors: false,
            includeTemplates: true,
          },
        ],
        ...(patches.length > 0 ? { patches } : {}),
        images: [
          {
            name: s.image,
            ...(env.digest ? { digest: env.digest } : { newTag: env.tag }),
          },
        ],
      },
      false,
    );
  }

  // Controller objects, one per environment, outside the overlays: they are
  // applied by the controller's own bootstrap (app-of-apps or a Flux root).
  for (const env of s.environments) {
    if (s.controller === 'argocd') {
      add(`argocd/${env.name}.yaml`, k8s.argocdApplication(s, env, profile));
    } else if (s.controller === 'flux') {
      add(`flux/${env.name}.yaml`, k8s.fluxKustomization(s, env));
    }
  }

  files.sort((a, b) => (a.path < b.path ? -1 : 1));

  return {
    service: s,
    files,
    objects,
    annotations: catalogAnnotations(s),
  };
}

/**
 * Annotations for the component's catalog-info.yaml, so the GitOps views and
 * Backstage's Kubernetes plugin find the service.
 *
 * @public
 */
export function catalogAnnotations(s: ResolvedService): Record<string, string> {
  return {
    [KUBERNETES_ID_ANNOTATION]: s.name,
    [GITOPS_PATH_ANNOTATION]: s.targetPath,
    ...(s.controller === 'argocd'
      ? { [ARGOCD_APP_SELECTOR_ANNOTATION]: `${APP_NAME_LABEL}=${s.name}` }
      : {}),
  };
}
