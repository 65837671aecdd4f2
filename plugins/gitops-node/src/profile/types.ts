import type {
  GitopsController,
  TagPolicy,
} from '@goldenpath/plugin-gitops-common';

/** CPU and memory quantities, as Kubernetes writes them. @public */
export interface ResourceQuantities {
  cpu?: string;
  memory?: string;
}

/** Requests and limits of one resource tier. @public */
export interface ResourceTier {
  requests: ResourceQuantities;
  limits: ResourceQuantities;
}

/** @public */
export type SecretStoreKind = 'SecretStore' | 'ClusterSecretStore';

/** Where an environment's ExternalSecrets read from. @public */
export interface SecretStoreRef {
  name: string;
  kind: SecretStoreKind;
  /** Prepended to every `remoteRef.key`, e.g. `staging/`. */
  keyPrefix: string;
  /**
   * Pattern put between `keyPrefix` and a template's `remoteKey`, by default
   * `{{name}}/`: it confines a service to its own keys.
   */
  serviceKeyPrefix: string;
  /**
   * Set by a platform team that accepts services reading keys outside their
   * own prefix; off by default.
   */
  allowSharedKeys: boolean;
  /** ExternalSecret `refreshInterval`. */
  refreshInterval: string;
}

/** Argo CD settings of an environment. @public */
export interface ArgocdEnvironmentSettings {
  /** Project pattern, e.g. `{{owner.name}}` for one AppProject per team. */
  project: string;
  /** Namespace the Application objects live in (where Argo CD runs). */
  namespace: string;
  destinationServer?: string;
  destinationName?: string;
  automated: boolean;
  prune: boolean;
  selfHeal: boolean;
  /** Write the `CreateNamespace=true` sync option. */
  createNamespace: boolean;
}

/** Flux settings of an environment. @public */
export interface FluxEnvironmentSettings {
  /** Namespace the Kustomization objects live in. */
  namespace: string;
  sourceKind: 'GitRepository' | 'OCIRepository' | 'Bucket';
  sourceName: string;
  sourceNamespace?: string;
  interval: string;
  timeout: string;
  prune: boolean;
}

/** One environment of the golden path, in promotion order. @public */
export interface ProfileEnvironment {
  name: string;
  /** Namespace pattern with `{{name}}`, `{{environment}}`, `{{owner.name}}`, `{{owner.namespace}}`. */
  namespace: string;
  /**
   * Namespace patterns (placeholders and `*`) a template may choose instead
   * of the pattern's; empty: no override.
   */
  allowedNamespaces: string[];
  /** Display name of the cluster the environment runs on. */
  cluster?: string;
  replicas: number;
  resourceTier: string;
  tagPolicy: TagPolicy;
  /** Tag used when the template gives none. */
  defaultTag?: string;
  secretStore: SecretStoreRef;
  argocd: ArgocdEnvironmentSettings;
  flux: FluxEnvironmentSettings;
}

/** The GitOps repository the golden path writes to and reads from. @public */
export interface RepositorySettings {
  /** A local git working tree (embedded default), absolute. */
  localPath?: string;
  /** Clone URL of the repository, written into Argo CD Applications. */
  url?: string;
  branch: string;
  /** Folder new services go into, relative to the repository root. */
  appsPath: string;
}

/**
 * Everything the platform team decides about the golden path, read from
 * `gitops.*` in app-config.
 *
 * @public
 */
export interface PlatformProfile {
  environments: ProfileEnvironment[];
  /**
   * Namespace patterns no service may use: `kube-*`, `default`, the Argo CD
   * and Flux namespaces of every environment and `gitops.reservedNamespaces`.
   */
  reservedNamespaces: string[];
  repository: RepositorySettings;
  defaultController: GitopsController;
  resourceTiers: Record<string, ResourceTier>;
  /** Added to every generated object through Kustomize `labels`. */
  labels: Record<string, string>;
  /** Value of `app.kubernetes.io/part-of` when the template gives no system. */
  partOf?: string;
  /** Minimum replicas from which a PodDisruptionBudget is written. */
  podDisruptionBudgetMinReplicas: number;
  kubectl: {
    /** Render every overlay with `kubectl kustomize` before writing. */
    validate: boolean;
    path: string;
  };
}
