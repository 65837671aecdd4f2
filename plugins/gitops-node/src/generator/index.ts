export type * from './types';
export { resolveService } from './resolveService';
export { generateService, catalogAnnotations, toYaml } from './generateService';
export { validateObjects } from './validateObjects';
export { renderKustomize } from './renderKustomize';
export type { KustomizeRenderResult } from './renderKustomize';
export { stageServiceTree, publishServiceTree } from './stageServiceTree';
export type { OverlayRender, StagedServiceTree } from './stageServiceTree';
export {
  configMapName,
  externalSecretName,
  controllerObjectName,
} from './names';
