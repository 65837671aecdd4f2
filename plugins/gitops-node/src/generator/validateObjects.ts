import type { KubernetesObject } from './types';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: any) => Validatable;

// kubernetes-models and its CRD packages are ESM with import-only exports.
// Node loads them through import(); Jest (CommonJS) through require with
// scripts/jest/resolver.cjs. Try require first, then import.
async function load<T>(specifier: string): Promise<T> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(specifier);
  } catch (requireError) {
    try {
      return (await import(specifier)) as T;
    } catch {
      // Where import() cannot run (Jest), require's own error says why.
      throw requireError;
    }
  }
}

let registry: Promise<Map<string, ModelClass>> | undefined;

function models(): Promise<Map<string, ModelClass>> {
  registry ??= (async () => {
    const [core, apps, policy, argo, flux, eso] = await Promise.all([
      load<Record<string, ModelClass>>('kubernetes-models/v1'),
      load<Record<string, ModelClass>>('kubernetes-models/apps/v1'),
      load<Record<string, ModelClass>>('kubernetes-models/policy/v1'),
      load<Record<string, ModelClass>>(
        '@kubernetes-models/argo-cd/argoproj.io/v1alpha1',
      ),
      load<Record<string, ModelClass>>(
        '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1',
      ),
      load<Record<string, ModelClass>>(
        '@kubernetes-models/external-secrets/external-secrets.io/v1',
      ),
    ]);
    return new Map<string, ModelClass>([
      ['v1/Service', core.Service],
      ['v1/ServiceAccount', core.ServiceAccount],
      ['v1/ConfigMap', core.ConfigMap],
      ['v1/Namespace', core.Namespace],
      ['apps/v1/Deployment', apps.Deployment],
      ['policy/v1/PodDisruptionBudget', policy.PodDisruptionBudget],
      ['argoproj.io/v1alpha1/Application', argo.Application],
      ['kustomize.toolkit.fluxcd.io/v1/Kustomization', flux.Kustomization],
      ['external-secrets.io/v1/ExternalSecret', eso.ExternalSecret],
    ]);
  })().catch(e => {
    // A failed load is not kept: the next validation tries again.
    registry = undefined;
    throw e;
  });
  return registry;
}

/**
 * Validates objects against the Kubernetes and CRD schemas of
 * `kubernetes-models`. Returns one message per invalid object, naming its
 * file, kind and name; an empty list when all are valid.
 *
 * @public
 */
export async function validateObjects(
  objects: Array<{ path: string; object: KubernetesObject }>,
): Promise<string[]> {
  const byKind = await models();
  const problems: string[] = [];
  for (const { path, object } of objects) {
    const key = `${object.apiVersion}/${object.kind}`;
    const Model = byKind.get(key);
    if (!Model) {
      problems.push(`${path}: no schema for ${key}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (e) {
      problems.push(
        `${path}: ${object.kind} ${object.metadata.name} is invalid: ${
          (e as Error).message
        }`,
      );
    }
  }
  return problems;
}
