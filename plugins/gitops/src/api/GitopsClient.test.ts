import { MAX_QUERY_ENTITY_REFS } from '@goldenpath/plugin-gitops-common';
import { GitopsClient } from './GitopsClient';

describe('GitopsClient', () => {
  const discoveryApi = {
    getBaseUrl: async (id: string) => `http://backend/api/${id}`,
  };
  const reply = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });

  it('asks for an entity by its escaped ref parts', async () => {
    const fetch = jest.fn(async () =>
      reply({ entityRef: 'component:default/a b', environments: [] }),
    );
    const client = new GitopsClient({ discoveryApi, fetchApi: { fetch } });
    await client.getEntityEnvironments({
      kind: 'Component',
      namespace: 'default',
      name: 'a b',
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/gitops/v1/entities/default/Component/a%20b/environments',
      undefined,
    );
  });

  it("asks for an environment's history by its escaped name", async () => {
    const items = [
      {
        version: 'v1.5.0',
        image: 'registry.example.com/ml/inference-api:v1.5.0',
        since: '2026-11-22T10:00:00Z',
      },
    ];
    const fetch = jest.fn(async () => reply({ items }));
    const client = new GitopsClient({ discoveryApi, fetchApi: { fetch } });
    const answer = await client.getEnvironmentHistory(
      { kind: 'Component', namespace: 'default', name: 'inference-api' },
      'prod/eu',
    );
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/gitops/v1/entities/default/Component/inference-api/environments/prod%2Feu/history',
      undefined,
    );
    expect(answer).toEqual({ items });
  });

  it('splits large team queries into chunks the backend accepts', async () => {
    const fetch = jest.fn(
      async (_url: RequestInfo | URL, init?: RequestInit) => {
        const { entityRefs } = JSON.parse(String(init!.body));
        return reply({
          items: entityRefs.map((entityRef: string) => ({
            entityRef,
            environments: [],
          })),
        });
      },
    );
    const client = new GitopsClient({ discoveryApi, fetchApi: { fetch } });
    const refs = Array.from(
      { length: MAX_QUERY_ENTITY_REFS + 1 },
      (_, i) => `component:default/c${i}`,
    );
    const { items } = await client.queryEnvironments(refs, { view: 'summary' });
    expect(fetch).toHaveBeenCalledTimes(2);
    const bodies = fetch.mock.calls.map((c: any[]) => JSON.parse(c[1].body));
    expect(bodies.map(b => [b.entityRefs.length, b.view])).toEqual([
      [MAX_QUERY_ENTITY_REFS, 'summary'],
      [1, 'summary'],
    ]);
    expect(items.map(i => i.entityRef)).toEqual(refs);
  });

  it('turns an error answer into a ResponseError carrying the backend error', async () => {
    const fetch = jest.fn(async () =>
      reply(
        {
          error: { name: 'NotFoundError', message: 'no such entity' },
          request: { method: 'GET', url: '/v1/profile' },
          response: { statusCode: 404 },
        },
        404,
      ),
    );
    const client = new GitopsClient({ discoveryApi, fetchApi: { fetch } });
    await expect(client.getProfile()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
      cause: { name: 'NotFoundError', message: 'no such entity' },
    });
  });
});
