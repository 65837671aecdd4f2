import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { readProviderSchedule, uniqueNames } from './providerSchedule';

/** One cluster from `gitops.flux.clusters`. */
export interface FluxClusterConfig {
  name: string;
  url: string;
  serviceAccountToken: string;
  caData?: string;
  skipTLSVerify?: boolean;
}

/** Everything one Flux provider is built from. */
export interface FluxProviderConfig extends FluxClusterConfig {
  schedule: SchedulerServiceTaskScheduleDefinition;
}

/**
 * One provider config per entry of `gitops.flux.clusters`. Errors name the
 * key and its rule.
 */
export function readFluxProviderConfigs(config: Config): FluxProviderConfig[] {
  const kind = config.getOptionalConfig('gitops.flux');
  const unique = uniqueNames('gitops.flux.clusters');
  return (kind?.getOptionalConfigArray('clusters') ?? []).map((c, i) => ({
    name: unique(c.getString('name')),
    url: c.getString('url'),
    serviceAccountToken: c.getString('serviceAccountToken'),
    caData: c.getOptionalString('caData'),
    skipTLSVerify: c.getOptionalBoolean('skipTLSVerify'),
    schedule: readProviderSchedule({
      kind,
      kindPath: 'gitops.flux',
      entry: c,
      entryPath: `gitops.flux.clusters[${i}]`,
    }),
  }));
}
