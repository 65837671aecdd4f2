// Names of the objects derived from a service name, in one place so the
// generator and the length check agree. The controller objects' names are
// in gitops-common, where the status backend reads environments back from
// them.

export { controllerObjectName } from '@goldenpath/plugin-gitops-common';
export const configMapName = (service: string) => `${service}-config`;
export const externalSecretName = (service: string) => `${service}-secrets`;
