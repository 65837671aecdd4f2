import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { NotModifiedError } from '@backstage/errors';
import { assertServicePath, parseServiceFolder } from './parseServiceFolder';
import type {
  DesiredServiceState,
  GitopsRepositoryReader,
  RepositorySnapshotRead,
} from './types';

/**
 * Reads service folders of a remote GitOps repository through Backstage's
 * URL reader, so the GitHub, GitLab, Bitbucket (...) integrations apply.
 * Keeps the last answer per folder and revalidates it with its ETag.
 *
 * @public
 */
export class UrlRepositoryReader implements GitopsRepositoryReader {
  private readonly cache = new Map<
    string,
    { etag: string; state: DesiredServiceState }
  >();

  constructor(
    private readonly reader: UrlReaderService,
    /** Browse URL of the folder tree, e.g. https://github.com/org/gitops/tree/main */
    private readonly treeUrl: string,
  ) {}

  /** The tree URL for a repository URL and branch, in the form the integrations read. */
  static treeUrlFor(repositoryUrl: string, branch: string): string {
    const base = repositoryUrl.replace(/\.git$/, '').replace(/\/+$/, '');
    return `${base}/tree/${encodeURIComponent(branch)}`;
  }

  /**
   * One conditional read of the whole apps folder: when the ETag (for Git
   * hosts, the commit) is unchanged the integration answers "not modified"
   * without a download.
   */
  async readAll(
    appsPath: string,
    options?: { version?: string },
  ): Promise<RepositorySnapshotRead | undefined> {
    let tree;
    try {
      tree = await this.reader.readTree(`${this.treeUrl}/${appsPath}`, {
        etag: options?.version,
        filter: p => /\.ya?ml$/.test(p),
      });
    } catch (e) {
      if ((e as Error).name === NotModifiedError.name) return undefined;
      throw e;
    }
    const byService = new Map<string, Map<string, string>>();
    for (const file of await tree.files()) {
      const slash = file.path.indexOf('/');
      if (slash <= 0) continue;
      const service = file.path.slice(0, slash);
      let files = byService.get(service);
      if (!files) byService.set(service, (files = new Map()));
      files.set(
        file.path.slice(slash + 1),
        (await file.content()).toString('utf8'),
      );
    }
    const prefix = appsPath.replace(/\/+$/, '');
    return {
      version: tree.etag,
      revision: tree.etag,
      folders: (async function* folders() {
        for (const [service, files] of [...byService].sort(([a], [b]) =>
          a < b ? -1 : 1,
        )) {
          yield { path: `${prefix}/${service}`, files };
        }
      })(),
    };
  }

  async readService(servicePath: string): Promise<DesiredServiceState> {
    assertServicePath(servicePath);
    const url = `${this.treeUrl}/${servicePath}`;
    const cached = this.cache.get(servicePath);
    try {
      const tree = await this.reader.readTree(url, {
        etag: cached?.etag,
        filter: p => /\.ya?ml$/.test(p),
      });
      const files = new Map<string, string>();
      for (const file of await tree.files()) {
        files.set(file.path, (await file.content()).toString('utf8'));
      }
      const state = {
        ...parseServiceFolder(servicePath, files),
        revision: tree.etag,
      };
      this.cache.set(servicePath, { etag: tree.etag, state });
      return state;
    } catch (e) {
      if (cached && (e as Error).name === NotModifiedError.name) {
        return cached.state;
      }
      throw e;
    }
  }
}
