import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { readStuckAfter } from '@goldenpath/plugin-gitops-common';
import { useMemo } from 'react';

/**
 * `gitops.ui.stuckAfter` in milliseconds (default 10 minutes): how long an
 * environment may be other than Synced and Healthy before it is "stuck".
 * A malformed value throws, naming the key and the rule.
 */
export function useStuckAfter(): number {
  const config = useApi(configApiRef);
  const value = config.getOptional('gitops.ui.stuckAfter');
  return useMemo(() => readStuckAfter(value), [value]);
}
