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
});
