/**
 * Shared types, annotations, name rules and permissions of the GitOps
 * golden-path plugins.
 *
 * @packageDocumentation
 */

export * from './types';
export * from './profile';
export * from './annotations';
export * from './names';
export * from './permissions';
export * from './entityRefs';
export * from './imageRefs';
export * from './history';
export * from './annotationRules';
export * from './namespaces';
export * from './secretKeys';
export * from './ownerRefs';
export * from './controllerNames';
export * from './controllerStatus';
export * from './stuck';
export * from './promotion';
