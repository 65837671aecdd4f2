/**
 * The GitOps status backend plugin.
 *
 * @packageDocumentation
 */

export { gitopsPlugin as default } from './plugin';
export { gitopsLiveStateExtensionPoint } from '@goldenpath/plugin-gitops-node';
export type {
  GitopsLiveStateExtensionPoint,
  GitopsLiveStateProvider,
  LiveResource,
} from '@goldenpath/plugin-gitops-node';
