/**
 * The GitOps status backend plugin.
 *
 * @packageDocumentation
 */

export { gitopsPlugin as default } from './plugin';
