export { PromoteButton, NOT_ALLOWED } from './PromoteButton';
export { usePromotion } from './usePromotion';
export type { Promotion } from './usePromotion';
export { promotionColumn } from './promotionColumn';
