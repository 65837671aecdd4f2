/**
 * Backend logic of the GitOps golden path shared by the GitOps backend and
 * its scaffolder module: the platform profile, the manifest generator and
 * the GitOps repository reader.
 *
 * @packageDocumentation
 */

export * from './profile';
export * from './generator';
export * from './repository';
export * from './live';
export * from './git';
export * from './promotion';
