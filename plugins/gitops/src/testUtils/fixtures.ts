import type { Entity } from '@backstage/catalog-model';
import type {
  EntityEnvironmentsResponse,
  EnvironmentHistoryItem,
  EnvironmentStatus,
} from '@goldenpath/plugin-gitops-common';
import type { GitopsApi, GitopsProfile } from '../api';

/** Fixtures shared by the tests and the dev app (never by product code). */
export const profile: GitopsProfile = {
  environments: [
    {
      name: 'staging',
      namespace: '{{name}}-staging',
      tagPolicy: 'mutable',
      replicas: 1,
      resourceTier: 'small',
      cluster: 'staging-eu-1',
    },
    {
      name: 'production',
      namespace: '{{name}}-production',
      tagPolicy: 'immutable',
      replicas: 3,
      resourceTier: 'medium',
      cluster: 'production-eu-1',
    },
  ],
  defaultController: 'argocd',
};

export function component(
  name: string,
  options: { owner?: string; system?: string; annotated?: boolean } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations:
        options.annotated === false
          ? {}
          : {
              'gitops/path': `apps/${name}`,
              'argocd/app-selector': `app.kubernetes.io/name=${name}`,
            },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: options.owner ?? 'group:default/ml-team',
      system: options.system,
    },
  };
}

export function environment(
  name: string,
  over: Partial<EnvironmentStatus> & { tag?: string; liveTag?: string } = {},
): EnvironmentStatus {
  const { tag = 'v1.2.3', liveTag, ...rest } = over;
  return {
    name,
    namespace: `svc-${name}`,
    cluster: `${name}-eu-1`,
    controller: 'argocd',
    desired: { image: 'registry.example.com/svc', tag },
    live: {
      images: [`registry.example.com/svc:${liveTag ?? tag}`],
      sync: 'Synced',
      health: 'Healthy',
      revision: '4f2a9c1d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b',
      since: new Date(Date.now() - 42 * 60_000).toISOString(),
      lastSyncedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      url: `https://argocd.example.com/applications/argocd/svc-${name}`,
    },
    drift: Boolean(liveTag && liveTag !== tag),
    ...rest,
  };
}

/** A GitopsApi answering from fixed data. */
export function staticGitopsApi(
  byRef: Record<string, EnvironmentStatus[]>,
  /** History items by environment name, for every entity. */
  history: Record<string, EnvironmentHistoryItem[]> = {},
): GitopsApi {
  const answer = (entityRef: string): EntityEnvironmentsResponse =>
    byRef[entityRef]
      ? { entityRef, environments: byRef[entityRef] }
      : {
          entityRef,
          environments: [],
          reason: 'The entity has no gitops/path annotation.',
        };
  return {
    getProfile: async () => profile,
    getEntityEnvironments: async ref =>
      answer(
        `${ref.kind.toLocaleLowerCase('en-US')}:${ref.namespace}/${ref.name}`,
      ),
    queryEnvironments: async refs => ({ items: refs.map(answer) }),
    getEnvironmentHistory: async (_ref, name) => ({
      items: history[name] ?? [],
    }),
  };
}
