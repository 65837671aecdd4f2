import type { ResourceTier } from './types';

/** Resource tiers shipped with the golden path. @public */
export const DEFAULT_RESOURCE_TIERS: Record<string, ResourceTier> = {
  small: {
    requests: { cpu: '100m', memory: '256Mi' },
    limits: { memory: '512Mi' },
  },
  medium: {
    requests: { cpu: '250m', memory: '512Mi' },
    limits: { memory: '1Gi' },
  },
  large: {
    requests: { cpu: '1', memory: '2Gi' },
    limits: { memory: '4Gi' },
  },
};

export const DEFAULT_SECRET_STORE = {
  name: 'platform-secrets',
  kind: 'ClusterSecretStore' as const,
  refreshInterval: '1h',
};

export const DEFAULT_ARGOCD = {
  project: 'default',
  namespace: 'argocd',
  destinationServer: 'https://kubernetes.default.svc',
  automated: true,
  prune: true,
  selfHeal: true,
  createNamespace: true,
};

export const DEFAULT_FLUX = {
  namespace: 'flux-system',
  sourceKind: 'GitRepository' as const,
  sourceName: 'flux-system',
  interval: '5m',
  timeout: '5m',
  prune: true,
};

/** The two environments used when app-config names none. */
export const DEFAULT_ENVIRONMENTS = [
  {
    name: 'staging',
    replicas: 1,
    resourceTier: 'small',
    tagPolicy: 'mutable' as const,
    defaultTag: 'latest',
  },
  {
    name: 'production',
    replicas: 3,
    resourceTier: 'medium',
    tagPolicy: 'immutable' as const,
  },
];

export const DEFAULT_NAMESPACE_PATTERN = '{{name}}-{{environment}}';

/** Confines each service to its own keys of the secret store. */
export const DEFAULT_SERVICE_KEY_PREFIX = '{{name}}/';
