export {
  PromoteDialog,
  PROMOTE_TEMPLATE_REF,
  commitOf,
  promotionTitle,
} from './PromoteDialog';
export type { PromotionRequest } from './PromoteDialog';
