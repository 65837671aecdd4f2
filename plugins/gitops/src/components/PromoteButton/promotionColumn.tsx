import type { TableColumn } from '@backstage/core-components';
import type { EnvironmentStatus } from '@goldenpath/plugin-gitops-common';
import { PromoteButton } from './PromoteButton';
import type { Promotion } from './usePromotion';

/**
 * The tab's "Promotion" column: a promote button per environment, in the
 * 18% of the width the tab's other columns leave for it.
 */
export function promotionColumn(
  promotion: Promotion,
): TableColumn<EnvironmentStatus> {
  return {
    title: 'Promotion',
    width: '18%',
    render: env => (
      <PromoteButton
        entityRef={promotion.entityRef}
        gate={promotion.gateFor(env.name)}
        onOpen={promotion.open}
      />
    ),
  };
}
