/*
 * One backend under test, in a process of its own:
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs backendProcess.ts <which> --config <file>
 *
 * Each is a plain `createBackend()` with one plugin, as its README installs it.
 */
import { createBackend } from '@backstage/backend-defaults';
import Module from 'node:module';
import { distEntry, OURS_PACKAGES } from './oursBuild';

const which = process.argv[2];

if (which === 'ours') {
  // Ours as built (run.ts builds it first), as the peers' packages are
  // published: each of our packages resolves to its dist/ entry point.
  const dist = new Map<string, string>(
    OURS_PACKAGES.map(name => [name, distEntry(name)]),
  );
  const resolve = (Module as any)._resolveFilename;
  (Module as any)._resolveFilename = function resolveBuilt(
    request: string,
    ...rest: unknown[]
  ) {
    return dist.get(request) ?? resolve.call(this, request, ...rest);
  };
}

const backend = createBackend();
switch (which) {
  case 'catalog':
    backend.add(import('@backstage/plugin-catalog-backend'));
    break;
  case 'ours':
    backend.add(import('@goldenpath/plugin-gitops-backend'));
    break;
  // The peers are the bench's devDependencies: under test, never shipped.
  case 'roadie':
    // eslint-disable-next-line @backstage/no-undeclared-imports
    backend.add(import('@roadiehq/backstage-plugin-argo-cd-backend'));
    break;
  case 'community':
    // eslint-disable-next-line @backstage/no-undeclared-imports
    backend.add(import('@backstage-community/plugin-argocd-backend'));
    break;
  default:
    throw new Error(`unknown backend ${which}`);
}
backend.start().catch(e => {
  // eslint-disable-next-line no-console
  console.error(e);
  process.exit(1);
});
