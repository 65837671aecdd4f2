import type {
  DesiredImage,
  GitopsController,
} from '@goldenpath/plugin-gitops-common';

/** What Git wants for one environment of a service. @public */
export interface DesiredEnvironment {
  name: string;
  namespace?: string;
  desired?: DesiredImage;
  /** The controller whose objects the service folder holds for this environment. */
  controller: GitopsController;
  /** Why this overlay could not be read, when it could not. */
  error?: string;
}

/** What Git wants for a service, per environment. @public */
export interface DesiredServiceState {
  /** The service folder, relative to the repository root. */
  path: string;
  environments: DesiredEnvironment[];
  /** Revision or ETag the state was read at, when the reader knows it. */
  revision?: string;
}

/**
 * Reads a service folder of the GitOps repository. Implementations cache and
 * revalidate (ETag) as they can.
 *
 * @public
 */
export interface GitopsRepositoryReader {
  readService(path: string): Promise<DesiredServiceState>;
}
