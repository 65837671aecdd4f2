import { fakeApplication, startFakeArgoCd } from './index';

describe('startFakeArgoCd', () => {
  it('answers the documented applications API, with selector and fields', async () => {
    const fake = await startFakeArgoCd({
      token: 't0k',
      applications: [
        fakeApplication({
          service: 'a',
          environment: 'staging',
          images: ['r/a:1'],
        }),
        fakeApplication({
          service: 'b',
          environment: 'staging',
          images: ['r/b:1'],
        }),
      ],
    });
    try {
      const unauthorized = await fetch(`${fake.url}/api/v1/applications`);
      expect(unauthorized.status).toBe(401);
      const res = await fetch(
        `${fake.url}/api/v1/applications?selector=app.kubernetes.io/name%3Da&fields=items.metadata.name,items.status.summary.images`,
        { headers: { Authorization: 'Bearer t0k' } },
      );
      expect(await res.json()).toEqual({
        metadata: { resourceVersion: '1' },
        items: [
          {
            metadata: { name: 'a-staging' },
            status: { summary: { images: ['r/a:1'] } },
          },
        ],
      });
      const one = await fetch(`${fake.url}/api/v1/applications/b-staging`, {
        headers: { Authorization: 'Bearer t0k' },
      });
      expect((await one.json()).metadata.name).toBe('b-staging');
      fake.setApplications([]);
      const empty = await fetch(`${fake.url}/api/v1/applications`, {
        headers: { Authorization: 'Bearer t0k' },
      });
      expect((await empty.json()).items).toBeNull();
      expect(fake.requests.map(r => r.path)).toEqual([
        '/api/v1/applications',
        '/api/v1/applications',
        '/api/v1/applications/b-staging',
        '/api/v1/applications',
      ]);
    } finally {
      await fake.close();
    }
  });
});

describe('waitForRequests', () => {
  it('resolves once that many requests arrived', async () => {
    const fake = await startFakeArgoCd({ token: 't' });
    try {
      let resolved = false;
      const waiting = fake.waitForRequests(2).then(() => (resolved = true));
      await fetch(`${fake.url}/api/v1/applications`);
      await new Promise(r => setImmediate(r));
      expect(resolved).toBe(false);
      await fetch(`${fake.url}/api/v1/applications`);
      await waiting;
      expect(fake.requests).toHaveLength(2);
    } finally {
      await fake.close();
    }
  });

  it("serves Argo CD's reasons and transition times through fields", async () => {
    const fake = await startFakeArgoCd({
      token: 't0k',
      applications: [
        fakeApplication({
          service: 'a',
          environment: 'production',
          images: ['r/a:1'],
          health: 'Degraded',
          healthSince: '2026-11-20T21:14:03Z',
          resources: [
            {
              group: 'apps',
              version: 'v1',
              kind: 'Deployment',
              name: 'a',
              health: {
                status: 'Degraded',
                message: 'Deployment "a" exceeded its progress deadline',
              },
            },
          ],
          conditions: [{ type: 'SyncError', message: 'x' }],
          operation: {
            phase: 'Failed',
            message:
              'one or more synchronization tasks completed unsuccessfully',
            finishedAt: '2026-11-20T21:09:00Z',
          },
        }),
      ],
    });
    try {
      const res = await fetch(
        `${fake.url}/api/v1/applications?fields=items.status.health,items.status.resources,items.status.operationState.phase,items.status.operationState.message`,
        { headers: { Authorization: 'Bearer t0k' } },
      );
      expect((await res.json()).items).toEqual([
        {
          status: {
            health: {
              status: 'Degraded',
              lastTransitionTime: '2026-11-20T21:14:03Z',
            },
            resources: [
              expect.objectContaining({
                kind: 'Deployment',
                health: {
                  status: 'Degraded',
                  message: 'Deployment "a" exceeded its progress deadline',
                },
              }),
            ],
            operationState: {
              phase: 'Failed',
              message:
                'one or more synchronization tasks completed unsuccessfully',
            },
          },
        },
      ]);
    } finally {
      await fake.close();
    }
  });
});
