/**
 * The GitOps golden-path frontend plugin: entity tab, overview card and team
 * status page.
 *
 * @packageDocumentation
 */

export {
  gitopsPlugin,
  EntityGitopsContent,
  EntityGitopsCard,
  GitopsStatusPage,
} from './plugin';
export { gitopsApiRef, GitopsClient } from './api';
export type { GitopsApi, GitopsProfile } from './api';
export { isGitopsAvailable } from '@goldenpath/plugin-gitops-common';
export { SyncStatusChip, HealthStatusChip } from './components/StatusChips';
