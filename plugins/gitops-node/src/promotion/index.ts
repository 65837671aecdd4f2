export { setOverlayImage } from './setOverlayImage';
export type { OverlayImageEdit } from './setOverlayImage';
export { planPromotion, desiredVersion, runningVersion } from './planPromotion';
export type { PromotionEnvironment, PromotionPlan } from './planPromotion';
export { renderPromotedOverlay } from './renderPromotedOverlay';
export type { PromotedOverlayRender } from './renderPromotedOverlay';
export {
  LocalServiceFolderSource,
  UrlServiceFolderSource,
} from './serviceFolderSource';
export type {
  ServiceFolderRead,
  ServiceFolderSource,
} from './serviceFolderSource';
