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

// A status word never breaks: the table cell's break-word would split it.
function OneLine(props: { children: React.ReactNode }) {
  return (
    <span style={{ display: 'inline-block', whiteSpace: 'nowrap' }}>
      {props.children}
    </span>
  );
}

/** Sync status with Backstage's status colours. @public */
export function SyncStatusChip(props: { sync: SyncStatus }) {
  return <OneLine>{syncStatus(props.sync)}</OneLine>;
}

function syncStatus(sync: SyncStatus) {
  switch (sync) {
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
  return <OneLine>{healthStatus(props.health)}</OneLine>;
}

function healthStatus(health: HealthStatus) {
  switch (health) {
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
  return <OneLine>{combined(props.status, props.children)}</OneLine>;
}

function combined(status: CombinedStatus, children: React.ReactNode) {
  switch (status) {
    case 'ok':
      return <StatusOK>{children}</StatusOK>;
    case 'warning':
      return <StatusWarning>{children}</StatusWarning>;
    case 'error':
      return <StatusError>{children}</StatusError>;
    default:
      return <StatusPending>{children}</StatusPending>;
  }
}
