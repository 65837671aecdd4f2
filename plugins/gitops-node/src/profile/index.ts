export * from './types';
export {
  readPlatformProfile,
  resolveNamespacePattern,
} from './readPlatformProfile';
export type { ReadPlatformProfileOptions } from './readPlatformProfile';
export { DEFAULT_RESOURCE_TIERS } from './defaults';
export {
  PROFILE_PATTERN_PLACEHOLDERS,
  checkProfilePattern,
  renderProfilePattern,
} from './patterns';
export type { ProfilePatternValues } from './patterns';
