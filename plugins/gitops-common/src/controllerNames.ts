// The names of the Argo CD Applications and Flux Kustomizations of a
// service: `<service>-<environment>`. The generator writes them and the
// status backend reads the environment back from them, so both use these.

/**
 * Name of the controller object (Argo CD Application, Flux Kustomization)
 * deploying a service to an environment.
 *
 * @public
 */
export function controllerObjectName(
  service: string,
  environment: string,
): string {
  return `${service}-${environment}`;
}

/**
 * The environment a controller object name ends with, the longest that
 * matches (so `svc-pre-production` is `pre-production`, not `production`),
 * or undefined.
 *
 * @public
 */
export function environmentOfControllerObjectName(
  objectName: string,
  environments: readonly string[],
): string | undefined {
  return [...environments]
    .sort((a, b) => b.length - a.length)
    .find(env => objectName.endsWith(`-${env}`));
}
