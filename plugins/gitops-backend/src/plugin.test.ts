import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { gitopsPlugin } from './plugin';

describe('gitopsPlugin', () => {
  // Requests without an Authorization header are anonymous, as in production.
  const start = (gitops: object = {}) =>
    startTestBackend({
      features: [
        gitopsPlugin,
        mockServices.rootConfig.factory({ data: { gitops } }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });

  it('answers health without credentials', async () => {
    const { server } = await start();
    const res = await request(server).get('/api/gitops/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('serves the environments of the profile, in promotion order', async () => {
    const { server } = await start({
      environments: [
        { name: 'dev' },
        { name: 'prod', tagPolicy: 'immutable', replicas: 3, cluster: 'eu-1' },
      ],
    });
    const res = await request(server)
      .get('/api/gitops/v1/profile')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.environments.map((e: { name: string }) => e.name)).toEqual([
      'dev',
      'prod',
    ]);
    expect(res.body.environments[1]).toMatchObject({
      tagPolicy: 'immutable',
      replicas: 3,
      cluster: 'eu-1',
    });
  });

  it('refuses the profile to an unauthenticated caller', async () => {
    const { server } = await start();
    const res = await request(server).get('/api/gitops/v1/profile');
    expect(res.status).toBe(401);
  });

  it('fails to start on a wrong profile, naming the key', async () => {
    await expect(start({ environments: [{ name: 'Prod' }] })).rejects.toThrow(
      /gitops\.environments\[0\]\.name must be a DNS-1123 label/,
    );
  });
});
