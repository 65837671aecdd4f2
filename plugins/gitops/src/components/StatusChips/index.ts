export { SyncStatusChip, HealthStatusChip } from './StatusChips';
