/**
 * The GitOps plugin for Backstage's new frontend system: one file per
 * extension.
 *
 * @packageDocumentation
 */
export { default } from './plugin';
export { gitopsApi } from './apis';
export { gitopsEntityContent } from './entityContent';
export { gitopsEntityCard } from './entityCard';
export { gitopsPage } from './page';
