import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

const ms = (config: Config, key: string, fallback: HumanDuration) =>
  durationToMilliseconds(
    config.has(key) ? readDurationFromConfig(config, { key }) : fallback,
  );

/** Default of `gitops.polling.concurrency`. */
export const DEFAULT_POLLING_CONCURRENCY = 4;

/**
 * The backend's own settings. Each provider reads its own section
 * (`readArgoCdProviderConfigs`, `readFluxProviderConfigs`).
 */
export function readLiveStateConfig(config: Config) {
  const gitops = config.getOptionalConfig('gitops');
  return {
    pollingConcurrency: readPollingConcurrency(gitops),
    // Requests never read Git, so a new service folder shows at the next
    // check: for a local working tree a check is a look at .git, cheap
    // enough to make every 2 s; a Git host gets one conditional read per 15 s.
    desiredCacheTtlMs: gitops
      ? ms(gitops, 'repository.cacheTtl', {
          seconds: gitops.has('repository.localPath') ? 2 : 15,
        })
      : 15_000,
  };
}

function readPollingConcurrency(gitops: Config | undefined): number {
  const value = gitops?.getOptionalNumber('polling.concurrency');
  if (value === undefined) return DEFAULT_POLLING_CONCURRENCY;
  if (!Number.isInteger(value) || value < 1) {
    throw new InputError(
      'Invalid app-config: gitops.polling.concurrency must be an integer of at least 1',
    );
  }
  return value;
}
