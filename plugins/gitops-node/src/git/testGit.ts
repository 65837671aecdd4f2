import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// Tests only: the real git CLI, isolated from the machine's git config.
export const cliEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Cli',
  GIT_AUTHOR_EMAIL: 'cli@example.com',
  GIT_COMMITTER_NAME: 'Cli',
  GIT_COMMITTER_EMAIL: 'cli@example.com',
};

/** Runs the git CLI in `dir` and answers its output without the final newline. */
export function cli(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    env: cliEnv,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trimEnd();
}

/** A repository made by the git CLI, with one commit holding README.md. */
export function cliRepository(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  cli(dir, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dir, 'README.md'), '# repo\n');
  cli(dir, 'add', 'README.md');
  cli(dir, 'commit', '-q', '-m', 'init');
  return dir;
}

/** HEAD, the index and the working tree, as the CLI sees them. */
export function snapshot(dir: string) {
  if (!fs.existsSync(path.join(dir, '.git'))) return { exists: false };
  return {
    exists: true,
    log: cli(dir, 'log', '--format=%H %s', '--all'),
    status: cli(dir, 'status', '--porcelain', '--untracked-files=all'),
    staged: cli(dir, 'diff', '--cached', '--name-status'),
  };
}

/**
 * Starts `git commit -a` the way a person does: git takes index.lock, stages,
 * then opens an editor (here: waits `holdMs`) and commits, holding the lock
 * throughout (plain `git commit` already releases it before the editor).
 * Resolves when git holds the lock; `done` settles when git has exited.
 */
export async function cliCommitHoldingLock(
  dir: string,
  message: string,
  holdMs: number,
): Promise<{ done: Promise<void> }> {
  const editor = path.join(dir, '..', `editor-${process.pid}.sh`);
  fs.writeFileSync(
    editor,
    `#!/bin/sh\nsleep ${holdMs / 1000}\nprintf '%s\\n' '${message}' > "$1"\n`,
    { mode: 0o755 },
  );
  const child = spawn('git', ['commit', '-q', '-a'], {
    cwd: dir,
    env: { ...cliEnv, GIT_EDITOR: editor },
    stdio: 'ignore',
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', code =>
      code === 0 ? resolve() : reject(new Error(`git commit exited ${code}`)),
    );
  });
  const lock = path.join(dir, '.git', 'index.lock');
  const start = Date.now();
  while (!fs.existsSync(lock)) {
    if (Date.now() - start > 5000) throw new Error('git never took the lock');
    await new Promise(r => setTimeout(r, 5));
  }
  return { done };
}
