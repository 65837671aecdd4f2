import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readProviderSchedule, uniqueNames } from './providerSchedule';

/** Default of `gitops.argocd.maxResponseBytes`: 256 MiB. */
// The listing is parsed as it streams in, so the cap bounds what an
// instance may send, not what is held: 256 MiB is about 180,000 Applications
// with the fields asked for.
export const DEFAULT_ARGOCD_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

/** One Argo CD instance from `gitops.argocd.instances`. */
export interface ArgoCdInstanceConfig {
  name: string;
  url: string;
  token: string;
  frontendUrl?: string;
}

/** Everything one Argo CD provider is built from. */
export interface ArgoCdProviderConfig extends ArgoCdInstanceConfig {
  schedule: SchedulerServiceTaskScheduleDefinition;
  maxResponseBytes: number;
}

/**
 * One provider config per entry of `gitops.argocd.instances`. Errors name
 * the key and its rule.
 */
export function readArgoCdProviderConfigs(
  config: Config,
): ArgoCdProviderConfig[] {
  const kind = config.getOptionalConfig('gitops.argocd');
  const maxResponseBytes = readMaxResponseBytes(kind);
  const unique = uniqueNames('gitops.argocd.instances');
  return (kind?.getOptionalConfigArray('instances') ?? []).map((c, i) => {
    const entryPath = `gitops.argocd.instances[${i}]`;
    return {
      name: unique(c.getString('name')),
      url: c.getString('url'),
      token: c.getString('token'),
      frontendUrl: c.getOptionalString('frontendUrl'),
      schedule: readProviderSchedule({
        kind,
        kindPath: 'gitops.argocd',
        entry: c,
        entryPath,
      }),
      maxResponseBytes,
    };
  });
}

function readMaxResponseBytes(kind: Config | undefined): number {
  const value = kind?.getOptionalNumber('maxResponseBytes');
  if (value === undefined) return DEFAULT_ARGOCD_MAX_RESPONSE_BYTES;
  if (!Number.isInteger(value) || value < 1024) {
    throw new InputError(
      'Invalid app-config: gitops.argocd.maxResponseBytes must be an integer of at least 1024',
    );
  }
  return value;
}
