export type * from './types';
export { parseServiceFolder } from './parseServiceFolder';
export { LocalRepositoryReader } from './LocalRepositoryReader';
export { UrlRepositoryReader } from './UrlRepositoryReader';
