import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogEntityValidatePermission,
  catalogLocationAnalyzePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  actionExecutePermission,
  taskCancelPermission,
  taskCreatePermission,
  taskReadPermission,
  templateDryRunPermission,
  templateParameterReadPermission,
  templateStepReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  gitopsEnvironmentPromotePermission,
  gitopsEnvironmentsReadPermission,
} from '@goldenpath/plugin-gitops-common';

/** What the policy reads from config. */
export interface PermissionPolicySettings {
  /** Members of this group register locations and entities (`group:<ns>/<name>`). */
  adminGroup: string;
}

/**
 * Reads `permissionPolicy.*` and refuses a configuration under which the
 * policy would not run: the portal never falls back to allow-all.
 */
export function readPermissionPolicySettings(
  config: Config,
): PermissionPolicySettings {
  if (config.getOptionalBoolean('permission.enabled') !== true) {
    throw new InputError(
      'permission.enabled must be true: without it the permission framework allows every request',
    );
  }
  const raw = config.getOptionalString('permissionPolicy.adminGroup');
  if (!raw) {
    throw new InputError(
      'permissionPolicy.adminGroup is required: the group whose members may register catalog locations, e.g. group:default/platform-team',
    );
  }
  let ref;
  try {
    ref = parseEntityRef(raw, { defaultKind: 'group' });
  } catch {
    ref = undefined;
  }
  if (ref?.kind.toLocaleLowerCase('en-US') !== 'group') {
    throw new InputError(
      `permissionPolicy.adminGroup must be a group entity reference such as group:default/platform-team, got "${raw}"`,
    );
  }
  return { adminGroup: stringifyEntityRef(ref).toLocaleLowerCase('en-US') };
}

// Starting a template, and what running it needs.
const createServicePermissions: Permission[] = [
  taskCreatePermission,
  taskReadPermission,
  taskCancelPermission,
  templateParameterReadPermission,
  templateStepReadPermission,
  templateDryRunPermission,
  actionExecutePermission,
];

// What puts arbitrary entities into, or takes them out of, the catalog.
const adminPermissions: Permission[] = [
  catalogLocationCreatePermission,
  catalogLocationAnalyzePermission,
  catalogEntityCreatePermission,
  catalogLocationDeletePermission,
];

// Owners act on their own entities; the admin group on any.
const ownerPermissions: Permission[] = [
  catalogEntityDeletePermission,
  catalogEntityRefreshPermission,
];

const matches = (permission: Permission, list: Permission[]) =>
  list.some(p => isPermission(permission, p));

const allow: PolicyDecision = { result: AuthorizeResult.ALLOW };
const deny: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * The portal's rules, one pure function:
 *
 * - signed-in users read the catalog, and the GitOps status of what they may
 *   read (`gitops.environments.read` follows `catalog.entity.read`);
 * - members of any group create services from templates;
 * - only members of the admin group register locations and create entities;
 * - only an entity's owners promote it (`gitops.environment.promote`);
 *   owners and the admin group refresh and delete it;
 * - other reads are open to signed-in users, anything else is denied.
 *
 * Service principals never reach a policy: the framework allows
 * plugin-to-plugin calls and limits static tokens by their
 * `accessRestrictions`. A request without a user is denied.
 */
export function decide(
  permission: Permission,
  user: PolicyQueryUser | undefined,
  settings: PermissionPolicySettings,
): PolicyDecision {
  if (!user) return deny;
  const claims = user.info.ownershipEntityRefs.map(r =>
    r.toLocaleLowerCase('en-US'),
  );
  const isMember = claims.some(r => r.startsWith('group:'));
  const isAdmin = claims.includes(settings.adminGroup);

  if (
    isPermission(permission, catalogEntityReadPermission) ||
    isPermission(permission, gitopsEnvironmentsReadPermission)
  ) {
    return allow;
  }
  if (matches(permission, adminPermissions)) {
    return isAdmin ? allow : deny;
  }
  if (matches(permission, createServicePermissions)) {
    return isMember ? allow : deny;
  }
  if (isPermission(permission, catalogEntityValidatePermission)) return allow;
  const forOwners =
    isPermission(permission, gitopsEnvironmentPromotePermission) ||
    (matches(permission, ownerPermissions) && !isAdmin);
  if (forOwners && isResourcePermission(permission, 'catalog-entity')) {
    return createCatalogConditionalDecision(
      permission,
      catalogConditions.isEntityOwner({
        claims: user.info.ownershipEntityRefs,
      }),
    );
  }
  if (matches(permission, ownerPermissions)) return allow;
  return permission.attributes.action === 'read' ? allow : deny;
}

/** The portal's permission policy; see {@link decide}. */
export class GoldenPathPermissionPolicy implements PermissionPolicy {
  static fromConfig(config: Config): GoldenPathPermissionPolicy {
    return new GoldenPathPermissionPolicy(readPermissionPolicySettings(config));
  }

  constructor(private readonly settings: PermissionPolicySettings) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    return decide(request.permission, user, this.settings);
  }
}
