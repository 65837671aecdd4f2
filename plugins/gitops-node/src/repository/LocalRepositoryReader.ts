import { NotAllowedError, NotFoundError } from '@backstage/errors';
import fs from 'fs-extra';
import path from 'node:path';
import { LocalGitRepository } from '../git/LocalGitRepository';
import { assertServicePath, parseServiceFolder } from './parseServiceFolder';
import type {
  DesiredServiceState,
  GitopsRepositoryReader,
  RepositorySnapshotRead,
} from './types';

const MAX_FILES = 500;

/**
 * Reads service folders from a local working tree (the embedded default).
 * `readAll` knows the repository's version from its git HEAD and index, so
 * an unchanged repository is not read again; without `.git` it reads every
 * time. Git is read through {@link LocalGitRepository}, and every folder's
 * real path must stay inside the repository.
 *
 * @public
 */
export class LocalRepositoryReader implements GitopsRepositoryReader {
  private readonly git: LocalGitRepository;

  constructor(root: string) {
    this.git = new LocalGitRepository(root);
  }

  async readAll(
    appsPath: string,
    options?: { version?: string },
  ): Promise<RepositorySnapshotRead | undefined> {
    const head = await this.git.headState();
    // Staging (the index) as well as committing counts as a change.
    const version = head && `${head.commit}:${head.indexMtimeMs}`;
    if (version !== undefined && version === options?.version) return undefined;
    const appsDir = this.git.resolvePath(
      appsPath,
      'gitops.repository.appsPath',
    );
    const names = (await fs.pathExists(appsDir))
      ? (await fs.readdir(appsDir, { withFileTypes: true }))
          .filter(e => e.isDirectory() && !e.name.startsWith('.'))
          .map(e => e.name)
          .sort()
      : [];
    return {
      version,
      revision: head?.commit,
      folders: (async function* folders() {
        for (const name of names) {
          yield {
            path: path.posix.join(appsPath, name),
            files: await readYamlFiles(path.join(appsDir, name)),
          };
        }
      })(),
    };
  }

  async readService(servicePath: string): Promise<DesiredServiceState> {
    assertServicePath(servicePath);
    let dir: string;
    try {
      dir = this.git.resolvePath(servicePath, 'gitops/path');
    } catch (e) {
      if (e instanceof NotAllowedError) {
        throw new NotFoundError(
          `${servicePath} is outside the GitOps repository`,
        );
      }
      throw e;
    }
    if (!(await fs.pathExists(dir))) {
      throw new NotFoundError(
        `${servicePath} does not exist in the GitOps repository`,
      );
    }
    const files = await readYamlFiles(dir);
    return parseServiceFolder(servicePath, files);
  }
}

/** The YAML files under `dir`; symbolic links are not followed. */
async function readYamlFiles(dir: string): Promise<Map<string, string>> {
  const paths: string[] = [];
  const walk = async (rel: string) => {
    for (const entry of await fs.readdir(path.join(dir, rel), {
      withFileTypes: true,
    })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (
        entry.isFile() &&
        /\.ya?ml$/.test(entry.name) &&
        paths.length < MAX_FILES
      ) {
        paths.push(child);
      }
    }
  };
  await walk('');
  // A folder's files are read together: the index reads thousands of them
  // at start-up.
  const contents = await Promise.all(
    paths.map(child => fs.readFile(path.join(dir, child), 'utf8')),
  );
  return new Map(paths.map((child, i) => [child, contents[i]]));
}
