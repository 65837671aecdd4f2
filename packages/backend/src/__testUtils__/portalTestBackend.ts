import {
  AuthService,
  BackendFeature,
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { catalogPermissions } from '@backstage/plugin-catalog-common/alpha';
import {
  isResourcePermission,
  Permission,
} from '@backstage/plugin-permission-common';
import { scaffolderPermissions } from '@backstage/plugin-scaffolder-common/alpha';
import { gitopsPermissions } from '@goldenpath/plugin-gitops-common';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import express from 'express';
import { catalogModuleLocalGitopsRepository } from '../modules/catalogLocalGitopsRepository';
import { permissionModuleGoldenPathPolicy } from '../modules/permissionPolicy';

/** Test users of examples/org.yaml, by what the policy tells apart. */
export const users = {
  /** In the admin group (platform-team). */
  admin: {
    ref: 'user:default/guest',
    groups: ['group:default/platform-team', 'group:default/ml-team'],
  },
  /** A team member, not an admin. */
  member: { ref: 'user:default/ada', groups: ['group:default/ml-team'] },
  /** Member of another team. */
  otherTeam: {
    ref: 'user:default/grace',
    groups: ['group:default/payments-team'],
  },
  /** Signed in, in no group. */
  reader: { ref: 'user:default/visitor', groups: [] as string[] },
};

const ownership = new Map(
  Object.values(users).map(u => [u.ref, [u.ref, ...u.groups]]),
);

/**
 * User info as the auth backend would issue it from the catalog: each test
 * user owns itself and its groups.
 */
export const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const principal = credentials.principal as { userEntityRef: string };
      return {
        userEntityRef: principal.userEntityRef,
        ownershipEntityRefs: ownership.get(principal.userEntityRef) ?? [
          principal.userEntityRef,
        ],
      };
    },
  }),
});

/**
 * The mock auth service, except that a token a plugin obtained on a user's
 * behalf authenticates as that user with the plugin as actor, as the real
 * one does (the permission backend accepts conditional requests only then).
 */
export const authFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory: ({ plugin }) => {
    const base = mockServices.auth({ pluginId: plugin.getId() });
    const prefix = 'mock-service-token:';
    return Object.assign(Object.create(base), {
      async authenticate(token: string, options?: any) {
        if (token.startsWith(prefix)) {
          const { obo } = JSON.parse(token.slice(prefix.length));
          if (obo) {
            await base.authenticate(token, options);
            return mockCredentials.user(obo, {
              actor: { subject: 'plugin' },
            });
          }
        }
        return base.authenticate(token, options);
      },
    }) as AuthService;
  },
});

/** Config the portal's policy needs. */
export const policyConfig = {
  permission: { enabled: true },
  permissionPolicy: { adminGroup: 'group:default/platform-team' },
};

/**
 * A test plugin that asks the permission framework, as the calling user,
 * about one permission: `POST /api/probe/authorize { name, resourceRef? }`.
 */
export const probePlugin = createBackendPlugin({
  pluginId: 'probe',
  register(env) {
    env.registerInit({
      deps: {
        http: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
      },
      async init({ http, httpAuth, permissions }) {
        const byName = new Map<string, Permission>(
          [
            ...catalogPermissions,
            ...scaffolderPermissions,
            ...gitopsPermissions,
          ].map(p => [p.name, p]),
        );
        const router = express.Router();
        router.use(express.json());
        router.post('/authorize', (req, res, next) => {
          const permission = byName.get(String(req.body.name));
          if (!permission) {
            next(new InputError('name: unknown permission'));
            return;
          }
          httpAuth
            .credentials(req, { allow: ['user'] })
            .then(credentials =>
              permissions.authorize(
                [
                  isResourcePermission(permission)
                    ? { permission, resourceRef: String(req.body.resourceRef) }
                    : { permission },
                ] as any,
                { credentials },
              ),
            )
            .then(([decision]) => res.json(decision), next);
        });
        http.use(router);
      },
    });
  },
});

/**
 * The portal's catalog, permission backend and policy, with a local GitOps
 * repository at `localPath`, as `packages/backend` wires them.
 */
export async function startPortalBackend(options: {
  localPath: string;
  config?: object;
  features?: BackendFeature[];
}) {
  const { server } = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleLocalGitopsRepository,
      permissionPlugin,
      permissionModuleGoldenPathPolicy,
      probePlugin,
      userInfoFactory,
      authFactory,
      httpAuthServiceFactory,
      permissionsServiceFactory,
      // The real scheduler: the catalog provider runs on its schedule.
      schedulerServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          ...policyConfig,
          catalog: {
            rules: [{ allow: ['Component', 'Location'] }],
            providers: {
              gitopsRepository: {
                schedule: {
                  frequency: { milliseconds: 200 },
                  timeout: { seconds: 10 },
                  initialDelay: { milliseconds: 10 },
                },
              },
            },
          },
          gitops: {
            repository: { localPath: options.localPath, branch: 'main' },
            environments: [{ name: 'staging' }],
          },
          ...options.config,
        },
      }),
      ...(options.features ?? []),
    ],
  });
  return server;
}

/** Polls `fn` until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(
  fn: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise(r => setTimeout(r, 100));
  }
}
