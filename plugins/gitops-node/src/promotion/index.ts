export { setOverlayImage } from './setOverlayImage';
export type { OverlayImageEdit } from './setOverlayImage';
export { planPromotion, desiredVersion, runningVersion } from './planPromotion';
export type { PromotionEnvironment, PromotionPlan } from './planPromotion';
