import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read the GitOps environments (desired tags, live sync and health) of a
 * catalog entity. A resource permission on the entity, so policies can use
 * catalog conditions such as `isEntityOwner`.
 *
 * @public
 */
export const gitopsEnvironmentsReadPermission = createPermission({
  name: 'gitops.environments.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Promote an image from one environment of a catalog entity to the next. A
 * resource permission on the entity, so a policy can grant it to the
 * entity's owners only (`isEntityOwner`).
 *
 * @public
 */
export const gitopsEnvironmentPromotePermission = createPermission({
  name: 'gitops.environment.promote',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Every permission of the GitOps plugins.
 *
 * @public
 */
export const gitopsPermissions = [
  gitopsEnvironmentsReadPermission,
  gitopsEnvironmentPromotePermission,
];
