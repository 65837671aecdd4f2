export { setOverlayImage } from './setOverlayImage';
export type { OverlayImageEdit } from './setOverlayImage';
