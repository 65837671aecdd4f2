import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import request from 'supertest';
import { authGuestProviderWhenConfigured } from './modules/authGuestProvider';
import { permissionModuleGoldenPathPolicy } from './modules/permissionPolicy';
import { startPortalBackend, users } from './__testUtils__/portalTestBackend';

jest.setTimeout(60_000);

// Attacks on the running portal, one row each: the request, the refusal
// (status and the message naming the rule), and that nothing was written.

describe('attacks on the catalog locations API', () => {
  const repo = createMockDirectory();
  let server: Awaited<ReturnType<typeof startPortalBackend>>;
  beforeAll(async () => {
    server = await startPortalBackend({ localPath: repo.path });
  });

  const locations = async () =>
    (
      await request(server)
        .get('/api/catalog/locations')
        .set('Authorization', mockCredentials.user.header(users.admin.ref))
    ).body.map((l: { data: { target: string } }) => l.data.target);

  it.each([
    [
      'an admin registers a file location (the backend disk)',
      users.admin,
      { type: 'file', target: '/etc/passwd' },
      '',
      400,
      'Registered locations must be of an allowed type ["url"]',
    ],
    [
      'an admin registers a file location of the GitOps repository',
      users.admin,
      { type: 'file', target: `${repo.path}/apps/x/catalog-info.yaml` },
      '',
      400,
      'Registered locations must be of an allowed type ["url"]',
    ],
    [
      'an admin dry-runs a file location',
      users.admin,
      { type: 'file', target: '/etc/hostname' },
      '?dryRun=true',
      400,
      'Registered locations must be of an allowed type ["url"]',
    ],
    [
      'a team member registers a file location',
      users.member,
      { type: 'file', target: '/etc/passwd' },
      '',
      403,
      '',
    ],
    [
      'a team member registers a url location',
      users.member,
      { type: 'url', target: 'https://git.example.com/evil/catalog-info.yaml' },
      '',
      403,
      '',
    ],
  ])('%s: refused', async (_, user, body, query, status, message) => {
    const before = await locations();
    const res = await request(server)
      .post(`/api/catalog/locations${query}`)
      .set('Authorization', mockCredentials.user.header(user.ref))
      .send(body);
    expect({ status: res.status, name: res.body.error?.name }).toEqual({
      status,
      name: status === 400 ? 'InputError' : 'NotAllowedError',
    });
    expect(res.body.error.message).toContain(message);
    expect(JSON.stringify(res.body)).not.toContain('root:');
    expect(await locations()).toEqual(before);
    expect(before).not.toContain(body.target);
  });

  it('control: the admin group still registers a url location', async () => {
    const target = 'https://git.example.com/team/catalog-info.yaml';
    const res = await request(server)
      .post('/api/catalog/locations')
      .set('Authorization', mockCredentials.user.header(users.admin.ref))
      .send({ type: 'url', target });
    expect(res.status).toBe(201);
    expect(await locations()).toContain(target);
  });
});

describe('attacks on the permission policy: no allow-all fallback', () => {
  it.each([
    [
      'the permission framework switched off',
      { permissionPolicy: { adminGroup: 'group:default/platform-team' } },
      'permission.enabled must be true: without it the permission framework allows every request',
    ],
    [
      'no admin group configured',
      { permission: { enabled: true } },
      'permissionPolicy.adminGroup is required',
    ],
    [
      'an admin group that is a user',
      {
        permission: { enabled: true },
        permissionPolicy: { adminGroup: 'user:default/guest' },
      },
      'permissionPolicy.adminGroup must be a group entity reference',
    ],
  ])('%s: the backend does not start', async (_, data, message) => {
    await expect(
      startTestBackend({
        features: [
          permissionPlugin,
          permissionModuleGoldenPathPolicy,
          mockServices.rootConfig.factory({
            data: { auth: { environment: 'production' }, ...data },
          }),
        ],
      }),
    ).rejects.toThrow(message);
  });
});

describe('attacks on sign-in: no guest in production', () => {
  const start = (environment: string) =>
    startTestBackend({
      features: [
        authPlugin,
        authGuestProviderWhenConfigured,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            auth: {
              environment,
              // Even the explicit opt-out of the guest provider's own check
              // does not bring guest sign-in into production.
              providers: {
                guest: {
                  userEntityRef: 'user:default/guest',
                  dangerouslyAllowOutsideDevelopment: true,
                },
              },
            },
          },
        }),
      ],
    });

  it('guest sign-in under auth.environment production: refused, no identity', async () => {
    const { server } = await start('production');
    const res = await request(server)
      .get('/api/auth/guest/refresh')
      .set('X-Requested-With', 'XMLHttpRequest');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe("Unknown auth provider 'guest'");
    expect(res.body.backstageIdentity).toBeUndefined();
  });

  it('control: guest sign-in under auth.environment development works', async () => {
    const { server } = await start('development');
    const res = await request(server)
      .get('/api/auth/guest/refresh')
      .set('X-Requested-With', 'XMLHttpRequest');
    expect(res.status).toBe(200);
    expect(res.body.backstageIdentity.identity.userEntityRef).toBe(
      'user:default/guest',
    );
  });
});
