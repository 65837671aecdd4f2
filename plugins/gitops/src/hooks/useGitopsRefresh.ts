import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { useEffect } from 'react';

/** Calls `refresh` every `gitops.ui.refreshIntervalSeconds` (default 30; 0 = never). */
export function useGitopsRefresh(refresh: () => void) {
  const config = useApi(configApiRef);
  const seconds =
    config.getOptionalNumber('gitops.ui.refreshIntervalSeconds') ?? 30;
  useEffect(() => {
    if (!seconds || seconds <= 0) return undefined;
    const timer = setInterval(refresh, seconds * 1000);
    return () => clearInterval(timer);
  }, [refresh, seconds]);
}
