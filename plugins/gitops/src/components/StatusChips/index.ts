export {
  SyncStatusChip,
  HealthStatusChip,
  CombinedStatusChip,
} from './StatusChips';
