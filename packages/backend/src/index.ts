/*
 * The portal's backend: Backstage's new backend system with the catalog,
 * scaffolder, auth, permissions, search and the GitOps golden-path plugins.
 */

import { createBackend } from '@backstage/backend-defaults';
import { authGuestProviderWhenConfigured } from './modules/authGuestProvider';
import { catalogModuleLocalGitopsRepository } from './modules/catalogLocalGitopsRepository';
import { permissionModuleGoldenPathPolicy } from './modules/permissionPolicy';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// scaffolder, with GitHub actions for the production publishing variant
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));

// auth: guest for local use only, GitHub for production
// (app-config.production.yaml); the guest provider is not even installed there
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(authGuestProviderWhenConfigured);
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(catalogModuleLocalGitopsRepository);

// permissions: the portal's policy (modules/permission), in every environment
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(permissionModuleGoldenPathPolicy);

// search over the catalog (Lunr in memory locally, PostgreSQL in production)
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-user-settings-backend'));

// the GitOps golden path
backend.add(import('@goldenpath/plugin-gitops-backend'));
backend.add(import('@goldenpath/plugin-scaffolder-backend-module-gitops'));

backend.start();
