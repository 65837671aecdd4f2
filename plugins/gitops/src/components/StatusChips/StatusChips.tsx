import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type {
  HealthStatus,
  SyncStatus,
} from '@goldenpath/plugin-gitops-common';
import type { CombinedStatus } from '../viewModel';

/** Sync status with Backstage's status colours. @public */
export function SyncStatusChip(props: { sync: SyncStatus }) {
  switch (props.sync) {
    case 'Synced':
      return <StatusOK>Synced</StatusOK>;
    case 'OutOfSync':
      return <StatusWarning>OutOfSync</StatusWarning>;
    default:
      return <StatusPending>Unknown</StatusPending>;
  }
}

/** Health status with Backstage's status colours. @public */
export function HealthStatusChip(props: { health: HealthStatus }) {
  switch (props.health) {
    case 'Healthy':
      return <StatusOK>Healthy</StatusOK>;
    case 'Progressing':
      return <StatusPending>Progressing</StatusPending>;
    case 'Suspended':
      return <StatusWarning>Suspended</StatusWarning>;
    case 'Degraded':
      return <StatusError>Degraded</StatusError>;
    case 'Missing':
      return <StatusError>Missing</StatusError>;
    default:
      return <StatusPending>Unknown</StatusPending>;
  }
}

/** An environment's combined status, for compact views. */
export function CombinedStatusChip(props: {
  status: CombinedStatus;
  children: React.ReactNode;
}) {
  switch (props.status) {
    case 'ok':
      return <StatusOK>{props.children}</StatusOK>;
    case 'warning':
      return <StatusWarning>{props.children}</StatusWarning>;
    case 'error':
      return <StatusError>{props.children}</StatusError>;
    default:
      return <StatusPending>{props.children}</StatusPending>;
  }
}
