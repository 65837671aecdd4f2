import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { GitopsController } from '@goldenpath/plugin-gitops-common';
import type {
  ProfileEnvironment,
  ResourceTier,
  SecretStoreRef,
} from '../profile';

/** A secret the service reads from the external store; never a value. @public */
export interface ServiceSecretInput {
  /** Environment variable the container sees. */
  name: string;
  /** Key in the external secret store. */
  remoteKey: string;
  /** Property within the remote secret, for stores holding JSON objects. */
  property?: string;
}

/** Per-environment choices of the template. @public */
export interface ServiceEnvironmentInput {
  name: string;
  /** A tag (`v1.2.3`) or a digest (`sha256:...`). */
  imageTag?: string;
  replicas?: number;
  namespace?: string;
}

/**
 * What a developer asks for: the input of `gitops:service:create`.
 *
 * @public
 */
export interface ServiceInput {
  name: string;
  owner: string;
  description?: string;
  system?: string;
  lifecycle?: string;
  image: string;
  port?: number;
  healthPaths?: { readiness?: string; liveness?: string };
  config?: Record<string, string | number | boolean>;
  secrets?: ServiceSecretInput[];
  environments?: ServiceEnvironmentInput[];
  controller?: GitopsController;
  targetPath?: string;
}

/** An environment with every choice made. @public */
export interface ResolvedEnvironment {
  name: string;
  namespace: string;
  cluster?: string;
  replicas: number;
  resourceTierName: string;
  resources: ResourceTier;
  /** Exactly one of tag and digest is set. */
  tag?: string;
  digest?: string;
  secretStore: SecretStoreRef;
  /**
   * Prefix of every `remoteRef.key`: the store's `keyPrefix` and the
   * rendered `serviceKeyPrefix`, e.g. `staging/my-ai-service/`.
   */
  secretKeyPrefix: string;
  /** Argo CD project of the environment's Application, rendered. */
  argocdProject: string;
  profile: ProfileEnvironment;
}

/** A service with every choice made and checked. @public */
export interface ResolvedService {
  name: string;
  /** Full reference of the owning Group or User, e.g. `group:default/ml-team`. */
  owner: string;
  ownerRef: CompoundEntityRef;
  description?: string;
  system?: string;
  lifecycle: string;
  image: string;
  port: number;
  healthPaths: { readiness: string; liveness: string };
  config: Array<[string, string]>;
  secrets: ServiceSecretInput[];
  controller: GitopsController;
  targetPath: string;
  environments: ResolvedEnvironment[];
}

/** A file of the generated tree, relative to the service folder. @public */
export interface GeneratedFile {
  path: string;
  content: string;
}

/** A Kubernetes object, as plain data. @public */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** The generator's result. @public */
export interface GeneratedService {
  service: ResolvedService;
  /** Sorted by path. */
  files: GeneratedFile[];
  /** Every Kubernetes object written, with the file it is in. */
  objects: Array<{ path: string; object: KubernetesObject }>;
  /** Annotations for the component's catalog-info.yaml. */
  annotations: Record<string, string>;
}
