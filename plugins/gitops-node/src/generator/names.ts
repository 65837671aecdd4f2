// Names of the objects derived from a service name, in one place so the
// generator, the length check and the status backend agree.

export const configMapName = (service: string) => `${service}-config`;
export const externalSecretName = (service: string) => `${service}-secrets`;
/** Argo CD Application and Flux Kustomization of one environment. */
export const controllerObjectName = (service: string, environment: string) =>
  `${service}-${environment}`;
