import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import { mockServices } from '@backstage/backend-test-utils';
import {
  fakeApplication,
  FakeArgoCd,
  startFakeArgoCd,
} from '@internal/fake-argocd';
import http from 'node:http';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { pollOnce } from '../snapshot/Poller';
import type { SnapshotStore } from '../snapshot/SnapshotStore';
import { ArgoCdProvider } from './ArgoCdProvider';
// Application payloads as Argo CD's API returns them, shared with the
// common package's tests of the pure mapping.
const fixture = (name: string) =>
  JSON.parse(
    fs.readFileSync(
      resolvePackagePath(
        '@goldenpath/plugin-gitops-common',
        `src/__fixtures__/${name}.json`,
      ),
      'utf8',
    ),
  );
const degraded = fixture('argocd-application-degraded');
const syncFailed = fixture('argocd-application-sync-failed');
const comparisonError = fixture('argocd-application-comparison-error');

const TOKEN = 'argo-token-77';

const applications = Array.from({ length: 40 }, (_, i) =>
  fakeApplication({
    service: `svc-${i}`,
    environment: 'staging',
    images: [`registry.example.com/svc-${i}:v1.0.${i}`],
  }),
);

const provider = (url: string, maxBytes?: number) =>
  new ArgoCdProvider(
    { name: 'prod', url, token: TOKEN },
    { frequency: { seconds: 30 }, timeout: { milliseconds: 2_000 } },
    maxBytes,
  );

/** Serves on a free loopback port; `close` ends open answers too. */
async function listen(server: http.Server) {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A server streaming a JSON list of `count` items without a length. */
async function startStreamingServer(count: number) {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('{"items":[');
    let i = 0;
    const next = () => {
      if (i >= count || res.destroyed) {
        res.end(']}');
        return;
      }
      res.write(`${i ? ',' : ''}${JSON.stringify(applications[i % 40])}`);
      i++;
      setImmediate(next);
    };
    next();
  });
  return listen(server);
}

/** A server answering `body`, written in pieces of `piece` bytes. */
async function startRawServer(body: string, piece = 7) {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const bytes = Buffer.from(body);
    let offset = 0;
    const next = () => {
      if (offset >= bytes.length) {
        res.end();
        return;
      }
      res.write(bytes.subarray(offset, offset + piece));
      offset += piece;
      setImmediate(next);
    };
    next();
  });
  return listen(server);
}

describe('ArgoCdProvider streamed listing', () => {
  const list = async (body: string, piece?: number) => {
    const raw = await startRawServer(body, piece);
    try {
      return await provider(raw.url).list({
        signal: new AbortController().signal,
      });
    } finally {
      await raw.close();
    }
  };

  it('parses items as they arrive, split anywhere, and only the top-level items', async () => {
    const apps = applications.slice(0, 3).map(a => ({
      ...a,
      // A nested "items" key must not be taken for the list.
      spec: { ...(a as any).spec, items: [{ metadata: { name: 'nested' } }] },
    }));
    const body = JSON.stringify({
      metadata: { resourceVersion: '12' },
      items: apps,
    });
    for (const piece of [1, 13, 4096]) {
      const resources = await list(body, piece);
      expect(resources.map(r => r.name)).toEqual(
        apps.map(a => (a as any).metadata.name),
      );
      expect(resources[0].images).toEqual([
        'registry.example.com/svc-0:v1.0.0',
      ]);
    }
  });

  it('asks for gzip and reads a compressed answer, capped on what it inflates to', async () => {
    const body = JSON.stringify({ metadata: {}, items: applications });
    const encodings: Array<string | undefined> = [];
    const server = http.createServer((req, res) => {
      encodings.push(req.headers['accept-encoding']);
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
      });
      res.end(zlib.gzipSync(body));
    });
    const gz = await listen(server);
    try {
      const resources = await provider(gz.url).list({
        signal: new AbortController().signal,
      });
      expect(resources.map(r => r.name)).toEqual(
        applications.map(a => (a as any).metadata.name),
      );
      expect(encodings).toEqual(['gzip']);
      // The compressed answer is far under the cap; what it inflates to is not.
      await expect(
        provider(gz.url, 4096).list({ signal: new AbortController().signal }),
      ).rejects.toThrow('answered more than 4096 bytes');
    } finally {
      await gz.close();
    }
    const broken = await listen(
      http.createServer((_req, res) => {
        res.writeHead(200, { 'Content-Encoding': 'gzip' });
        res.end('not gzip at all');
      }),
    );
    try {
      await expect(
        provider(broken.url).list({ signal: new AbortController().signal }),
      ).rejects.toThrow('answered with a malformed gzip body');
    } finally {
      await broken.close();
    }
  });

  it('fails, not hangs, when a compressed answer is cut off', async () => {
    const gzipped = zlib.gzipSync(
      JSON.stringify({ metadata: {}, items: applications }),
    );
    const cut = await listen(
      http.createServer((_req, res) => {
        res.writeHead(200, { 'Content-Encoding': 'gzip' });
        res.write(gzipped.subarray(0, gzipped.length >> 1), () =>
          res.socket?.destroy(),
        );
      }),
    );
    try {
      await expect(
        provider(cut.url).list({ signal: new AbortController().signal }),
      ).rejects.toThrow(/unreachable|malformed/);
    } finally {
      await cut.close();
    }
  });

  it('accepts an empty list and "items": null, refuses answers without an items list or malformed', async () => {
    expect(await list('{"metadata":{},"items":null}')).toEqual([]);
    expect(await list('{"items":[]}')).toEqual([]);
    await expect(list('{"metadata":{}}')).rejects.toThrow(
      'answered without an items list',
    );
    await expect(list('[1,2]')).rejects.toThrow(
      'answered without an items list',
    );
    await expect(
      list(`{"items":[${JSON.stringify(applications[0])},{"metadata":`),
    ).rejects.toThrow('answered with malformed JSON');
    await expect(list('{"items":[{"a":1}}}')).rejects.toThrow(
      'answered with malformed JSON',
    );
  });
});

describe('ArgoCdProvider', () => {
  let argo: FakeArgoCd;
  beforeEach(async () => {
    argo = await startFakeArgoCd({ token: TOKEN, applications });
  });
  afterEach(() => argo.close());

  it('lists Applications under the size cap', async () => {
    const resources = await provider(argo.url).list({
      signal: new AbortController().signal,
    });
    expect(resources).toHaveLength(40);
  });

  it('refuses an answer larger than maxResponseBytes (announced length)', async () => {
    await expect(
      provider(argo.url, 4096).list({ signal: new AbortController().signal }),
    ).rejects.toThrow(
      'answered more than 4096 bytes (gitops.argocd.maxResponseBytes); the answer was not read',
    );
  });

  it('stops reading a streamed answer once it passes the cap', async () => {
    const stream = await startStreamingServer(100_000);
    try {
      await expect(
        provider(stream.url, 64 * 1024).list({
          signal: new AbortController().signal,
        }),
      ).rejects.toThrow(
        'answered more than 65536 bytes (gitops.argocd.maxResponseBytes)',
      );
    } finally {
      await stream.close();
    }
  });

  it('marks the provider failed and logs the cap once', async () => {
    const logger = mockServices.logger.mock();
    const failures: string[] = [];
    let last: any;
    const store = {
      recordSuccess: jest.fn(),
      recordFailure: jest.fn(async (_id: string, error: string) => {
        failures.push(error);
        const previous = last;
        last = { ok: false, error };
        return previous;
      }),
    } as unknown as SnapshotStore;
    const capped = provider(argo.url, 4096);
    for (let i = 0; i < 3; i++) {
      await pollOnce({
        provider: capped,
        store,
        logger,
        signal: new AbortController().signal,
      });
    }
    expect(store.recordSuccess).not.toHaveBeenCalled();
    expect(failures).toEqual(
      Array(3).fill(
        'answered more than 4096 bytes (gitops.argocd.maxResponseBytes); the answer was not read',
      ),
    );
    expect((logger.warn as jest.Mock).mock.calls).toEqual([
      [
        'Argo CD instance "prod": poll failed: answered more than 4096 bytes (gitops.argocd.maxResponseBytes); the answer was not read; serving the last known state',
      ],
    ]);
  });

  it("maps real Application payloads to Argo CD's reasons and since", async () => {
    argo.setApplications([degraded, syncFailed, comparisonError] as any);
    const resources = await provider(argo.url).list({
      signal: new AbortController().signal,
    });
    // The fields asked for keep what the reasons are made of.
    const fields = argo.requests.at(-1)!.query.fields.split(',');
    expect(fields).toEqual(
      expect.arrayContaining([
        'items.status.health',
        'items.status.conditions',
        'items.status.resources',
        'items.status.operationState.phase',
        'items.status.operationState.message',
      ]),
    );
    expect(resources).toEqual([
      expect.objectContaining({
        name: 'inference-api-production',
        sync: 'Synced',
        health: 'Degraded',
        since: '2026-11-20T21:14:03.000Z',
        reasons: [
          {
            source: 'resource',
            type: 'Deployment/inference-api',
            message:
              'Deployment "inference-api" exceeded its progress deadline',
          },
        ],
      }),
      expect.objectContaining({
        name: 'embeddings-worker-staging',
        sync: 'OutOfSync',
        health: 'Healthy',
        since: '2026-11-22T22:31:07.000Z',
        reasons: [
          expect.objectContaining({
            source: 'condition',
            type: 'SyncError',
            message: expect.stringMatching(
              /^Failed sync attempt to \w+: one or more objects failed to apply/,
            ),
          }),
          expect.objectContaining({ type: 'OrphanedResourceWarning' }),
        ],
      }),
      expect.objectContaining({
        name: 'checkout-dev',
        sync: 'Unknown',
        health: 'Missing',
        reasons: [
          expect.objectContaining({
            source: 'condition',
            type: 'ComparisonError',
          }),
        ],
      }),
    ]);
    // A token quoted in a repository URL never leaves the provider.
    expect(JSON.stringify(resources)).not.toMatch(/s3cr3t|deploy-bot/);
  });

  it('gives no reasons nor since for a healthy Application without times', async () => {
    const [resource] = await provider(argo.url).list({
      signal: new AbortController().signal,
    });
    expect(resource.reasons).toBeUndefined();
    // fakeApplication gives no health.lastTransitionTime: the poller's time is used.
    expect(resource.since).toBeUndefined();
  });

  it('uses the argocd/app-selector annotation as the selector', () => {
    const entity = (annotations: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Component',
      metadata: { name: 'svc', annotations },
    });
    expect(
      provider(argo.url).selectorFor(
        entity({ 'argocd/app-selector': ' app.kubernetes.io/name=svc ' }),
      ),
    ).toBe('app.kubernetes.io/name=svc');
    expect(provider(argo.url).selectorFor(entity({}))).toBeUndefined();
  });
});
