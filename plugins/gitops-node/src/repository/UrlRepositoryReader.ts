import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { NotModifiedError } from '@backstage/errors';
import { assertServicePath, parseServiceFolder } from './parseServiceFolder';
import type { DesiredServiceState, GitopsRepositoryReader } from './types';

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
