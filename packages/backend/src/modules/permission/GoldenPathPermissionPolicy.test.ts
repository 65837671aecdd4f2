import { ConfigReader } from '@backstage/config';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogLocationCreatePermission,
  catalogLocationReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  actionExecutePermission,
  taskCreatePermission,
  templateManagementPermission,
  templateParameterReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  gitopsEnvironmentPromotePermission,
  gitopsEnvironmentsReadPermission,
} from '@goldenpath/plugin-gitops-common';
import { users } from '../../__testUtils__/portalTestBackend';
import {
  decide,
  readPermissionPolicySettings,
} from './GoldenPathPermissionPolicy';

const settings = { adminGroup: 'group:default/platform-team' };

const asUser = (u: { ref: string; groups: string[] }): PolicyQueryUser =>
  ({
    info: { userEntityRef: u.ref, ownershipEntityRefs: [u.ref, ...u.groups] },
  } as PolicyQueryUser);

const { ALLOW, DENY, CONDITIONAL } = AuthorizeResult;
const result = (d: PolicyDecision) => d.result;

describe('decide', () => {
  it.each<[string, Permission, Record<keyof typeof users, AuthorizeResult>]>([
    [
      'catalog read',
      catalogEntityReadPermission,
      { admin: ALLOW, member: ALLOW, otherTeam: ALLOW, reader: ALLOW },
    ],
    [
      'GitOps status read (follows catalog read)',
      gitopsEnvironmentsReadPermission,
      { admin: ALLOW, member: ALLOW, otherTeam: ALLOW, reader: ALLOW },
    ],
    [
      'location read',
      catalogLocationReadPermission,
      { admin: ALLOW, member: ALLOW, otherTeam: ALLOW, reader: ALLOW },
    ],
    [
      'scaffolder task create',
      taskCreatePermission,
      { admin: ALLOW, member: ALLOW, otherTeam: ALLOW, reader: DENY },
    ],
    [
      'template parameters read',
      templateParameterReadPermission,
      { admin: ALLOW, member: ALLOW, otherTeam: ALLOW, reader: DENY },
    ],
    [
      'scaffolder action execute',
      actionExecutePermission,
      { admin: ALLOW, member: ALLOW, otherTeam: ALLOW, reader: DENY },
    ],
    [
      'location create',
      catalogLocationCreatePermission,
      { admin: ALLOW, member: DENY, otherTeam: DENY, reader: DENY },
    ],
    [
      'entity create',
      catalogEntityCreatePermission,
      { admin: ALLOW, member: DENY, otherTeam: DENY, reader: DENY },
    ],
    [
      'template management (no rule: denied)',
      templateManagementPermission,
      { admin: DENY, member: DENY, otherTeam: DENY, reader: DENY },
    ],
    [
      'promote (owners only)',
      gitopsEnvironmentPromotePermission,
      {
        admin: CONDITIONAL,
        member: CONDITIONAL,
        otherTeam: CONDITIONAL,
        reader: CONDITIONAL,
      },
    ],
    [
      'entity delete (owners, or the admin group)',
      catalogEntityDeletePermission,
      {
        admin: ALLOW,
        member: CONDITIONAL,
        otherTeam: CONDITIONAL,
        reader: CONDITIONAL,
      },
    ],
    [
      'entity refresh (owners, or the admin group)',
      catalogEntityRefreshPermission,
      {
        admin: ALLOW,
        member: CONDITIONAL,
        otherTeam: CONDITIONAL,
        reader: CONDITIONAL,
      },
    ],
  ])('%s', (_, permission, expected) => {
    const actual = Object.fromEntries(
      Object.entries(users).map(([name, u]) => [
        name,
        result(decide(permission, asUser(u), settings)),
      ]),
    );
    expect(actual).toEqual(expected);
  });

  it('grants promotion on the condition that the user owns the entity', () => {
    expect(
      decide(
        gitopsEnvironmentPromotePermission,
        asUser(users.member),
        settings,
      ),
    ).toEqual({
      result: CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/ada', 'group:default/ml-team'],
        },
      },
    });
  });

  it('denies everything without a user', () => {
    expect(
      result(decide(catalogEntityReadPermission, undefined, settings)),
    ).toBe(DENY);
  });

  it('compares group refs without regard to case', () => {
    const user = asUser({
      ref: 'user:default/x',
      groups: ['group:default/Platform-Team'],
    });
    expect(
      result(decide(catalogLocationCreatePermission, user, settings)),
    ).toBe(ALLOW);
  });
});

describe('readPermissionPolicySettings', () => {
  const read = (data: object) =>
    readPermissionPolicySettings(new ConfigReader(data));

  it('reads the admin group', () => {
    expect(
      read({
        permission: { enabled: true },
        permissionPolicy: { adminGroup: 'Platform-Team' },
      }),
    ).toEqual({ adminGroup: 'group:default/platform-team' });
  });

  it.each([
    [
      'permission framework off',
      { permissionPolicy: { adminGroup: 'group:default/platform-team' } },
      'permission.enabled must be true: without it the permission framework allows every request',
    ],
    [
      'no admin group',
      { permission: { enabled: true } },
      'permissionPolicy.adminGroup is required: the group whose members may register catalog locations, e.g. group:default/platform-team',
    ],
    [
      'a user as admin group',
      {
        permission: { enabled: true },
        permissionPolicy: { adminGroup: 'user:default/ada' },
      },
      'permissionPolicy.adminGroup must be a group entity reference such as group:default/platform-team, got "user:default/ada"',
    ],
  ])('refuses %s', (_, data, message) => {
    expect(() => read(data)).toThrow(message);
  });
});
