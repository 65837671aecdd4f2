/**
 * Scaffolder actions of the GitOps golden path.
 *
 * @packageDocumentation
 */

export { scaffolderModuleGitops as default } from './module';
export {
  createEnvironmentPromoteAction,
  createServiceCreateAction,
} from './actions';
