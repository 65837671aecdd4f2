import type { TableColumn } from '@backstage/core-components';
import type { EnvironmentStatus } from '@goldenpath/plugin-gitops-common';
import { PromoteButton } from './PromoteButton';
import type { Promotion } from './usePromotion';

/** The tab's "Promotion" column: a promote button per environment. */
export function promotionColumn(
  promotion: Promotion,
): TableColumn<EnvironmentStatus> {
  return {
    title: 'Promotion',
    width: '18%',
    // Room for "Promote <tag> from <source>" on two lines and the gate's
    // reason under it, rather than a column one word wide.
    cellStyle: { minWidth: 200 },
    headerStyle: { minWidth: 200 },
    render: env => (
      <PromoteButton
        entityRef={promotion.entityRef}
        gate={promotion.gateFor(env.name)}
        onOpen={promotion.open}
      />
    ),
  };
}
