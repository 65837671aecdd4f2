import { NotFoundError } from '@backstage/errors';
import fs from 'fs-extra';
import path from 'node:path';
import { assertServicePath, parseServiceFolder } from './parseServiceFolder';
import type { DesiredServiceState, GitopsRepositoryReader } from './types';

const MAX_FILES = 500;

/**
 * Reads service folders from a local working tree (the embedded default).
 * Files are small and local, so it reads on every call; the status service
 * caches results briefly.
 *
 * @public
 */
export class LocalRepositoryReader implements GitopsRepositoryReader {
  constructor(private readonly root: string) {}

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
    return parseServiceFolder(servicePath, files);
  }
}
