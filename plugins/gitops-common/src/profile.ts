import type { GitopsController, TagPolicy } from './types';

/**
 * One environment of the golden path, as `GET /api/gitops/v1/profile`
 * publishes it.
 *
 * @public
 */
export interface GitopsProfileEnvironment {
  name: string;
  /** Namespace pattern, e.g. `{{name}}-staging`. */
  namespace: string;
  cluster?: string;
  tagPolicy: TagPolicy;
  replicas: number;
  resourceTier: string;
}

/**
 * Answer of `GET /api/gitops/v1/profile`: the golden path's environments in
 * promotion order (the team page's columns) and the default controller.
 *
 * @public
 */
export interface GitopsProfileResponse {
  environments: GitopsProfileEnvironment[];
  defaultController: GitopsController;
}
