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
  /**
   * Reads every service folder under `appsPath` (`<appsPath>/<service>`),
   * unless the repository is still at `version`: then resolves undefined.
   * Folders are handed out one at a time, so a large repository is never
   * held in memory at once.
   */
  readAll?(
    appsPath: string,
    options?: { version?: string },
  ): Promise<RepositorySnapshotRead | undefined>;
}

/** The result of {@link GitopsRepositoryReader.readAll}. @public */
export interface RepositorySnapshotRead {
  /** Identifies the repository state read (commit, ETag); undefined if unknown. */
  version?: string;
  /** The commit read, when the reader knows it. */
  revision?: string;
  /** Each service folder's path (relative to the repository root) and YAML files. */
  folders: AsyncIterable<{ path: string; files: Map<string, string> }>;
}
