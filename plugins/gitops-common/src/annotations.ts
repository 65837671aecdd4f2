/**
 * Entity annotation naming the service folder in the GitOps repository,
 * relative to its root, e.g. `apps/my-ai-service`.
 *
 * @public
 */
export const GITOPS_PATH_ANNOTATION = 'gitops/path';

/**
 * Entity annotation with an Argo CD label selector matching the entity's
 * Applications, e.g. `app.kubernetes.io/name=my-ai-service`.
 *
 * @public
 */
export const ARGOCD_APP_SELECTOR_ANNOTATION = 'argocd/app-selector';

/**
 * Backstage's Kubernetes plugin annotation, set so that plugin finds the
 * workloads too.
 *
 * @public
 */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';

/**
 * Label on Argo CD Applications and Flux Kustomizations naming the
 * environment they deploy.
 *
 * @public
 */
export const GITOPS_ENVIRONMENT_LABEL = 'gitops/environment';

/** Kubernetes recommended labels used on every generated object. @public */
export const APP_NAME_LABEL = 'app.kubernetes.io/name';
/** @public */
export const APP_PART_OF_LABEL = 'app.kubernetes.io/part-of';
/** @public */
export const APP_MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** @public */
export const APP_INSTANCE_LABEL = 'app.kubernetes.io/instance';
