import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import {
  generateService,
  readPlatformProfile,
} from '@goldenpath/plugin-gitops-node';

export const profileConfig = {
  repository: { url: 'https://git.example.com/gitops.git' },
  environments: [
    { name: 'staging', defaultTag: 'latest', cluster: 'staging-eu-1' },
    {
      name: 'production',
      replicas: 3,
      tagPolicy: 'immutable',
      cluster: 'production-eu-1',
    },
  ],
};

/** The GitOps repository files of a service, as the golden path writes them. */
export function serviceFiles(
  name: string,
  tags: { staging: string; production: string },
  controller: 'argocd' | 'flux' = 'argocd',
): Record<string, string> {
  const profile = readPlatformProfile(
    new ConfigReader({ gitops: profileConfig }),
  );
  const g = generateService(
    {
      name,
      owner: 'group:default/ml-team',
      image: `registry.example.com/${name}`,
      environments: [
        { name: 'staging', imageTag: tags.staging },
        { name: 'production', imageTag: tags.production },
      ],
      controller,
    },
    profile,
  );
  return Object.fromEntries(
    g.files.map(f => [`apps/${name}/${f.path}`, f.content]),
  );
}

export function component(
  name: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'service',
      owner: 'group:default/ml-team',
      lifecycle: 'production',
    },
  };
}

export const goldenPathAnnotations = (name: string) => ({
  'backstage.io/kubernetes-id': name,
  'gitops/path': `apps/${name}`,
  'argocd/app-selector': `app.kubernetes.io/name=${name}`,
});
