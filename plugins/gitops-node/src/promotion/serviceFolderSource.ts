import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { LocalGitRepository } from '../git';

/** A service folder as committed on the GitOps repository's branch. @public */
export interface ServiceFolderRead {
  /** Files by path relative to the folder. */
  files: Map<string, Uint8Array>;
  /** Blob ids by path, where the source knows them (local git). */
  blobs?: Map<string, string>;
  /** The commit (or ETag) read. */
  revision?: string;
}

/**
 * Where a promotion reads a service folder from: the branch as committed,
 * never a working tree with changes of its own.
 *
 * @public
 */
export interface ServiceFolderSource {
  /** The folder's files, or undefined when the branch has no such folder. */
  readFolder(servicePath: string): Promise<ServiceFolderRead | undefined>;
}

/** The embedded default: the local repository, through the git layer. @public */
export class LocalServiceFolderSource implements ServiceFolderSource {
  constructor(private readonly repository: LocalGitRepository) {}

  async readFolder(servicePath: string) {
    const read = await this.repository.readCommittedFolder(servicePath);
    if (!read || read.files.size === 0) return undefined;
    return read;
  }
}

/** A remote repository, through Backstage's URL reader and its integrations. @public */
export class UrlServiceFolderSource implements ServiceFolderSource {
  constructor(
    private readonly reader: UrlReaderService,
    /** Browse URL of the branch's tree, e.g. https://github.com/org/gitops/tree/main */
    private readonly treeUrl: string,
  ) {}

  async readFolder(servicePath: string) {
    let tree;
    try {
      tree = await this.reader.readTree(`${this.treeUrl}/${servicePath}`);
    } catch (e) {
      if ((e as Error).name === NotFoundError.name) return undefined;
      throw e;
    }
    const files = new Map<string, Uint8Array>();
    for (const file of await tree.files()) {
      files.set(file.path, await file.content());
    }
    return files.size > 0 ? { files, revision: tree.etag } : undefined;
  }
}
