import { InputError } from '@backstage/errors';
import fs from 'fs-extra';
import { constants } from 'node:fs';
import path from 'node:path';

/** Bounds on one folder to commit: a service folder is a few dozen small files. */
export const SOURCE_LIMITS = { files: 1000, bytes: 20 * 1024 * 1024 };

/**
 * Reads every file of `dir` (relative paths with "/", sorted). A symbolic
 * link, a `.git` segment (any case) or anything but files and folders is an
 * InputError naming `field`: they would let a template write outside the
 * repository or into its git folder.
 */
export async function readSourceFolder(
  dir: string,
  field: string,
): Promise<Array<{ path: string; content: Buffer }>> {
  const top = await fs.lstat(dir).catch(() => undefined);
  if (top?.isSymbolicLink()) {
    throw new InputError(
      `${field} is a symbolic link; symbolic links are not committed`,
    );
  }
  if (!top?.isDirectory()) throw new InputError(`${field} is not a folder`);

  const out: Array<{ path: string; content: Buffer }> = [];
  let bytes = 0;
  const walk = async (rel: string) => {
    const entries = await fs.readdir(path.join(dir, rel), {
      withFileTypes: true,
    });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.name.toLowerCase() === '.git') {
        throw new InputError(
          `${field} contains "${child}": a ".git" segment (in any case) is never committed`,
        );
      }
      if (entry.isSymbolicLink()) {
        throw new InputError(
          `${field} contains a symbolic link "${child}"; symbolic links are not committed`,
        );
      }
      if (entry.isDirectory()) {
        await walk(child);
      } else if (entry.isFile()) {
        if (out.length >= SOURCE_LIMITS.files) {
          throw new InputError(
            `${field} has more than ${SOURCE_LIMITS.files} files`,
          );
        }
        // O_NOFOLLOW: a file swapped for a link after readdir is refused too.
        const handle = await fs.promises
          .open(
            path.join(dir, child),
            constants.O_RDONLY | constants.O_NOFOLLOW,
          )
          .catch(e => {
            if (e.code === 'ELOOP') {
              throw new InputError(
                `${field} contains a symbolic link "${child}"; symbolic links are not committed`,
              );
            }
            throw e;
          });
        try {
          const content = await handle.readFile();
          bytes += content.length;
          if (bytes > SOURCE_LIMITS.bytes) {
            throw new InputError(
              `${field} holds more than ${
                SOURCE_LIMITS.bytes / 1024 / 1024
              } MiB of files`,
            );
          }
          out.push({ path: child, content });
        } finally {
          await handle.close();
        }
      } else {
        throw new InputError(
          `${field} contains "${child}", which is neither a file nor a folder`,
        );
      }
    }
  };
  await walk('');
  return out;
}
