import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';
import guestProvider from '@backstage/plugin-auth-backend-module-guest-provider';

/** Whether the guest sign-in provider is installed under this config; pure. */
export function isGuestSignInEnabled(config: {
  has(key: string): boolean;
  getOptionalString(key: string): string | undefined;
}): boolean {
  return (
    config.has('auth.providers.guest') &&
    config.getOptionalString('auth.environment') !== 'production'
  );
}

/**
 * Installs guest sign-in only where the config enables it and never under
 * `auth.environment: production`, so a production portal has no guest
 * endpoint at all (`app-config.production.yaml` sets `guest: null`).
 */
export const authGuestProviderWhenConfigured = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  *loader({ config }) {
    if (isGuestSignInEnabled(config)) {
      yield guestProvider;
    }
  },
});
