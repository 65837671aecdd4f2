import {
  createMockDirectory,
  mockCredentials,
} from '@backstage/backend-test-utils';
import fs from 'node:fs';
import git from 'isomorphic-git';
import request from 'supertest';
import {
  eventually,
  startPortalBackend,
  users,
} from '../__testUtils__/portalTestBackend';

jest.setTimeout(60_000);

const component = (name: string, owner: string) =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  lifecycle: experimental\n  owner: ${owner}\n`;

describe('the portal policy on the real permission and catalog backends', () => {
  const repo = createMockDirectory();
  let server: Awaited<ReturnType<typeof startPortalBackend>>;

  beforeAll(async () => {
    repo.setContent({
      'apps/ml-svc/catalog-info.yaml': component(
        'ml-svc',
        'group:default/ml-team',
      ),
    });
    await git.init({ fs, dir: repo.path, defaultBranch: 'main' });
    await git.add({ fs, dir: repo.path, filepath: 'apps' });
    await git.commit({
      fs,
      dir: repo.path,
      message: 'add ml-svc',
      author: { name: 'Test', email: 'test@example.com' },
    });
    server = await startPortalBackend({ localPath: repo.path });
  });

  const as = (u: { ref: string }) => mockCredentials.user.header(u.ref);

  const authorize = async (
    u: { ref: string },
    name: string,
    resourceRef?: string,
  ) => {
    const res = await request(server)
      .post('/api/probe/authorize')
      .set('Authorization', as(u))
      .send({ name, resourceRef });
    expect(res.status).toBe(200);
    return res.body.result as string;
  };

  it('lets a signed-in user outside every group read the catalog, filled by the GitOps repository provider', async () => {
    const entity = await eventually(async () => {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/component/default/ml-svc')
        .set('Authorization', as(users.reader));
      return res.status === 200 ? res.body : undefined;
    });
    expect(entity.spec.owner).toBe('group:default/ml-team');
    expect(
      await authorize(
        users.reader,
        'gitops.environments.read',
        'component:default/ml-svc',
      ),
    ).toBe('ALLOW');
  });

  it('lets group members create scaffolder tasks, and nobody else', async () => {
    expect(await authorize(users.reader, 'scaffolder.task.create')).toBe(
      'DENY',
    );
    expect(await authorize(users.member, 'scaffolder.task.create')).toBe(
      'ALLOW',
    );
    expect(await authorize(users.otherTeam, 'scaffolder.task.create')).toBe(
      'ALLOW',
    );
  });

  it('lets only the admin group register locations', async () => {
    const post = (u: { ref: string }) =>
      request(server)
        .post('/api/catalog/locations?dryRun=true')
        .set('Authorization', as(u))
        .send({ type: 'url', target: 'https://git.example.com/c.yaml' });
    for (const u of [users.reader, users.member, users.otherTeam]) {
      const res = await post(u);
      expect({ user: u.ref, status: res.status }).toEqual({
        user: u.ref,
        status: 403,
      });
    }
    expect(await authorize(users.admin, 'catalog.location.create')).toBe(
      'ALLOW',
    );
    expect(await authorize(users.member, 'catalog.entity.create')).toBe('DENY');
  });

  it("lets only the entity's owners promote it", async () => {
    await eventually(async () => {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/component/default/ml-svc')
        .set('Authorization', as(users.reader));
      return res.status === 200 ? true : undefined;
    });
    const promote = (u: { ref: string }) =>
      authorize(u, 'gitops.environment.promote', 'component:default/ml-svc');
    expect(await promote(users.member)).toBe('ALLOW');
    expect(await promote(users.otherTeam)).toBe('DENY');
    expect(await promote(users.reader)).toBe('DENY');
  });
});
