import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import {
  ArgoCdInstanceConfig,
  DEFAULT_ARGOCD_MAX_RESPONSE_BYTES,
} from './providers/ArgoCdProvider';
import type { FluxClusterConfig } from './providers/FluxProvider';

const ms = (config: Config, key: string, fallback: HumanDuration) =>
  durationToMilliseconds(
    config.has(key) ? readDurationFromConfig(config, { key }) : fallback,
  );

/** The live-state settings of `gitops.argocd` and `gitops.flux`. */
export function readLiveStateConfig(config: Config) {
  const gitops = config.getOptionalConfig('gitops');
  const argocd = gitops?.getOptionalConfig('argocd');
  const flux = gitops?.getOptionalConfig('flux');
  const names = new Set<string>();
  const unique = (kind: string, name: string) => {
    if (names.has(`${kind}:${name}`)) {
      throw new Error(
        `Invalid app-config: gitops.${kind} lists "${name}" twice`,
      );
    }
    names.add(`${kind}:${name}`);
    return name;
  };
  return {
    argocd: {
      pollIntervalMs: argocd
        ? ms(argocd, 'pollInterval', { seconds: 30 })
        : 30_000,
      requestTimeoutMs: argocd
        ? ms(argocd, 'requestTimeout', { seconds: 5 })
        : 5_000,
      maxResponseBytes: readMaxBytes(argocd),
      instances: (argocd?.getOptionalConfigArray('instances') ?? []).map(
        (c): ArgoCdInstanceConfig => ({
          name: unique('argocd.instances', c.getString('name')),
          url: c.getString('url'),
          token: c.getString('token'),
          frontendUrl: c.getOptionalString('frontendUrl'),
        }),
      ),
    },
    flux: {
      pollIntervalMs: flux ? ms(flux, 'pollInterval', { seconds: 30 }) : 30_000,
      requestTimeoutMs: flux
        ? ms(flux, 'requestTimeout', { seconds: 5 })
        : 5_000,
      clusters: (flux?.getOptionalConfigArray('clusters') ?? []).map(
        (c): FluxClusterConfig => ({
          name: unique('flux.clusters', c.getString('name')),
          url: c.getString('url'),
          serviceAccountToken: c.getString('serviceAccountToken'),
          caData: c.getOptionalString('caData'),
          skipTLSVerify: c.getOptionalBoolean('skipTLSVerify'),
        }),
      ),
    },
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

function readMaxBytes(argocd: Config | undefined): number {
  const value = argocd?.getOptionalNumber('maxResponseBytes');
  if (value === undefined) return DEFAULT_ARGOCD_MAX_RESPONSE_BYTES;
  if (!Number.isInteger(value) || value < 1024) {
    throw new Error(
      'Invalid app-config: gitops.argocd.maxResponseBytes must be an integer of at least 1024',
    );
  }
  return value;
}
