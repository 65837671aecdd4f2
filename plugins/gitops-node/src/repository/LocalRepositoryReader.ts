import { NotFoundError } from '@backstage/errors';
import fs from 'fs-extra';
import path from 'node:path';
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
 * time.
 *
 * @public
 */
export class LocalRepositoryReader implements GitopsRepositoryReader {
  constructor(private readonly root: string) {}

  /** HEAD's commit and the index's mtime, or undefined outside git. */
  private async gitState(): Promise<
    { commit: string; indexMtimeMs: number } | undefined
  > {
    const gitDir = path.join(this.root, '.git');
    try {
      const head = (
        await fs.readFile(path.join(gitDir, 'HEAD'), 'utf8')
      ).trim();
      let commit = head;
      if (head.startsWith('ref: ')) {
        const ref = head.slice(5);
        commit = await fs
          .readFile(path.join(gitDir, ref), 'utf8')
          .catch(async () => {
            const packed = await fs.readFile(
              path.join(gitDir, 'packed-refs'),
              'utf8',
            );
            return (
              packed
                .split('\n')
                .find(line => line.endsWith(` ${ref}`))
                ?.split(' ')[0] ?? ''
            );
          });
      }
      const index = await fs
        .stat(path.join(gitDir, 'index'))
        .catch(() => undefined);
      return { commit: commit.trim(), indexMtimeMs: index?.mtimeMs ?? 0 };
    } catch {
      return undefined;
    }
  }

  async readAll(
    appsPath: string,
    options?: { version?: string },
  ): Promise<RepositorySnapshotRead | undefined> {
    const git = await this.gitState();
    // Staging (the index) as well as committing counts as a change.
    const version = git && `${git.commit}:${git.indexMtimeMs}`;
    if (version !== undefined && version === options?.version) return undefined;
    const appsDir = path.resolve(this.root, appsPath);
    const names = (await fs.pathExists(appsDir))
      ? (await fs.readdir(appsDir, { withFileTypes: true }))
          .filter(e => e.isDirectory() && !e.name.startsWith('.'))
          .map(e => e.name)
          .sort()
      : [];
    const root = this.root;
    return {
      version,
      revision: git?.commit || undefined,
      folders: (async function* folders() {
        for (const name of names) {
          const rel = path.posix.join(appsPath, name);
          yield { path: rel, files: await readYamlFiles(path.join(root, rel)) };
        }
      })(),
    };
  }

  async readService(servicePath: string): Promise<DesiredServiceState> {
    assertServicePath(servicePath);
    const dir = path.resolve(this.root, servicePath);
    if (!dir.startsWith(`${path.resolve(this.root)}${path.sep}`)) {
      throw new NotFoundError(
        `${servicePath} is outside the GitOps repository`,
      );
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

async function readYamlFiles(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (rel: string) => {
    for (const entry of await fs.readdir(path.join(dir, rel), {
      withFileTypes: true,
    })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (
        entry.isFile() &&
        /\.ya?ml$/.test(entry.name) &&
        files.size < MAX_FILES
      ) {
        files.set(child, await fs.readFile(path.join(dir, child), 'utf8'));
      }
    }
  };
  await walk('');
  return files;
}
