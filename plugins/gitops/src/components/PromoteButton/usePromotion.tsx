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
import { ReactNode, useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { gitopsApiRef } from '../../api';
import { PromoteDialog, PromotionRequest } from '../PromoteDialog';

/** What the tab needs to offer promotions and rollbacks. */
export interface Promotion {
  entityRef: string;
  gateFor(target: string): PromotionGate;
  environment(name: string): PromotionEnvironment | undefined;
  /** Opens the promotion dialog. */
  open(request: PromotionRequest): void;
  /**
   * The open dialog, to render outside the table: a promotion changes the
   * row that opened it (its button goes away), and the dialog must stay.
   */
  dialog: ReactNode;
}

/**
 * The promotion gate of each environment, from the profile's promotion order
 * and tag policies, and the dialog; undefined where the app has no
 * scaffolder to run the promotion template (the tab then only shows state).
 */
export function usePromotion(
  environments: EnvironmentStatus[] | undefined,
  onPromoted: () => void,
): Promotion | undefined {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const canRunTemplates = Boolean(useApiHolder().get(scaffolderApiRef));
  const gitopsApi = useApi(gitopsApiRef);
  const [request, setRequest] = useState<PromotionRequest>();
  const { value: profile } = useAsync(
    async () => (canRunTemplates ? gitopsApi.getProfile() : undefined),
    [gitopsApi, canRunTemplates],
  );
  const dialog = request ? (
    <PromoteDialog
      open
      request={request}
      onClose={() => setRequest(undefined)}
      onPromoted={onPromoted}
    />
  ) : null;
  const gates = useMemo(() => {
    if (!profile || !environments) return undefined;
    const profileEnvironments = profile.environments.map(e => ({
      name: e.name,
      tagPolicy: e.tagPolicy,
    }));
    return {
      gateFor: (target: string) =>
        promotionGate({
          environments: profileEnvironments,
          statuses: environments,
          targetEnvironment: target,
        }),
      environment: (name: string) =>
        profileEnvironments.find(e => e.name === name),
    };
  }, [profile, environments]);
  return gates ? { ...gates, entityRef, open: setRequest, dialog } : undefined;
}
