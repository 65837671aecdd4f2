export type * from './types';
export { gitopsLiveStateExtensionPoint } from './types';
export { parseLabelSelector, matchesLabelSelector } from './labelSelector';
export type { LabelRequirement } from './labelSelector';
