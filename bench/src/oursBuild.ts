/*
 * Ours runs as it ships, like the peers' published packages: built by
 * `backstage-cli package build` into each package's dist/, not compiled from
 * TypeScript by the transform as the process loads it (that costs the process
 * about 20 MiB of RSS the peers do not pay).
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const REPO_ROOT = path.resolve(resolvePackagePath('@internal/bench'), '..');

/** Our packages the status backend loads, and their folders. */
export const OURS_PACKAGES = [
  '@goldenpath/plugin-gitops-common',
  '@goldenpath/plugin-gitops-node',
  '@goldenpath/plugin-gitops-backend',
] as const;

/** A package's folder: its name without the scope's `plugin-` prefix. */
export function packageDir(name: string): string {
  return path.join(
    REPO_ROOT,
    'plugins',
    name.replace(/^@goldenpath\/plugin-/, ''),
  );
}

/** Where a package's build puts its CommonJS entry point. */
export function distEntry(name: string): string {
  return path.join(packageDir(name), 'dist', 'index.cjs.js');
}

/**
 * Builds the packages; the type declarations it packs come from `yarn tsc`
 * (scripts/bench.sh and scripts/test.sh run it first), which is run here if
 * they are missing.
 */
export function buildOurs() {
  const run = (cwd: string, args: string[]) =>
    execFileSync('yarn', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist-types', 'plugins'))) {
    run(REPO_ROOT, ['tsc']);
  }
  for (const name of OURS_PACKAGES) {
    run(packageDir(name), ['backstage-cli', 'package', 'build']);
  }
}
