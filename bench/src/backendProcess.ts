/*
 * One backend under test, in a process of its own:
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs backendProcess.ts <which> --config <file>
 *
 * Each is a plain `createBackend()` with one plugin, as its README installs it.
 */
import { createBackend } from '@backstage/backend-defaults';

const which = process.argv[2];
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
