/**
 * Scaffolder actions of the GitOps golden path.
 *
 * @packageDocumentation
 */

export { scaffolderModuleGitops as default } from './module';
export { createServiceCreateAction } from './actions';
