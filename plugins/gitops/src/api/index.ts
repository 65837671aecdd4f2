export { gitopsApiRef } from './GitopsApi';
export type { GitopsApi, GitopsProfile } from './GitopsApi';
export { GitopsClient } from './GitopsClient';
