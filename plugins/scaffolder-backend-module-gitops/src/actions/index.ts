export { createServiceCreateAction } from './serviceCreate';
export { createRepositoryCommitAction } from './repositoryCommit';
export { createCatalogRegisterAction } from './catalogRegister';
export { createEnvironmentPromoteAction } from './environmentPromote';
