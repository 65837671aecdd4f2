import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi, useApiHolder } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import {
  EnvironmentStatus,
  PromotionEnvironment,
  PromotionGate,
  promotionGate,
} from '@goldenpath/plugin-gitops-common';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { gitopsApiRef } from '../../api';

/** What the tab needs to offer promotions and rollbacks. */
export interface Promotion {
  entityRef: string;
  gateFor(target: string): PromotionGate;
  environment(name: string): PromotionEnvironment | undefined;
}

/**
 * The promotion gate of each environment, from the profile's promotion order
 * and tag policies; undefined where the app has no scaffolder to run the
 * promotion template (the tab then only shows state).
 */
export function usePromotion(
  environments: EnvironmentStatus[] | undefined,
): Promotion | undefined {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const canRunTemplates = Boolean(useApiHolder().get(scaffolderApiRef));
  const gitopsApi = useApi(gitopsApiRef);
  const { value: profile } = useAsync(
    async () => (canRunTemplates ? gitopsApi.getProfile() : undefined),
    [gitopsApi, canRunTemplates],
  );
  return useMemo(() => {
    if (!profile || !environments) return undefined;
    const profileEnvironments = profile.environments.map(e => ({
      name: e.name,
      tagPolicy: e.tagPolicy,
    }));
    return {
      entityRef,
      gateFor: target =>
        promotionGate({
          environments: profileEnvironments,
          statuses: environments,
          targetEnvironment: target,
        }),
      environment: name => profileEnvironments.find(e => e.name === name),
    };
  }, [profile, environments, entityRef]);
}
