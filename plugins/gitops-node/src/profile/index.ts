export * from './types';
export {
  readPlatformProfile,
  resolveNamespacePattern,
} from './readPlatformProfile';
export type { ReadPlatformProfileOptions } from './readPlatformProfile';
export { DEFAULT_RESOURCE_TIERS } from './defaults';
