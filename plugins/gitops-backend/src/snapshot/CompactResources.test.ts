import {
  HEALTH_STATUSES,
  SYNC_STATUSES,
} from '@goldenpath/plugin-gitops-common';
import type { LiveResource } from '@goldenpath/plugin-gitops-node';
import {
  CompactResources,
  IMAGE_FORMAT,
  SnapshotImageError,
} from './CompactResources';

const argoApp = (service: string, env: string): LiveResource => ({
  key: `argocd/${service}-${env}`,
  name: `${service}-${env}`,
  namespace: 'argocd',
  labels: {
    'app.kubernetes.io/name': service,
    'gitops/environment': env,
  },
  targetNamespace: `${service}-${env}`,
  cluster: 'in-cluster',
  images: [`registry.example.com/${service}:v1.2.3`],
  revision: 'a'.repeat(40),
  sync: 'OutOfSync',
  health: 'Degraded',
  lastSyncedAt: '2026-11-20T10:00:00Z',
  since: '2026-11-20T10:01:00Z',
  reasons: [{ source: 'health', message: 'Deployment is degraded' }],
  url: `https://argocd.example.com/applications/argocd/${service}-${env}`,
});

describe('CompactResources', () => {
  it('gives back each resource exactly as the provider reported it, found by any of its labels', () => {
    const compact = new CompactResources('argocd:main');
    const a = argoApp('api', 'staging');
    const b = argoApp('api', 'production');
    const c = argoApp('web', 'staging');
    compact.add(a, '2026-11-20T10:01:00.000Z');
    compact.add(b, '2026-11-21T00:00:00.000Z');
    compact.add(c, '2026-11-20T10:01:00.000Z');
    compact.seal();

    expect(compact.size).toBe(3);
    expect(compact.withLabel('app.kubernetes.io/name', 'api')).toEqual([
      {
        providerId: 'argocd:main',
        resource: a,
        since: '2026-11-20T10:01:00.000Z',
      },
      {
        providerId: 'argocd:main',
        resource: b,
        since: '2026-11-21T00:00:00.000Z',
      },
    ]);
    expect(
      compact.withLabel('gitops/environment', 'staging').map(r => r.resource),
    ).toEqual([a, c]);
    expect(compact.withLabel('app.kubernetes.io/name', 'nope')).toEqual([]);
  });

  it('keeps keys and links that do not follow the usual form, and optional fields absent', () => {
    const compact = new CompactResources('flux:prod');
    const flux: LiveResource = {
      key: 'Kustomization/flux-system/api-production',
      name: 'api-production',
      labels: { 'app.kubernetes.io/name': 'api', team: 'a=b' },
      images: [],
      sync: 'Synced',
      health: 'Healthy',
      url: 'https://weave.example.com/kustomization?name=api-production',
    };
    compact.add(flux, 't0');
    compact.add(
      {
        key: '/bare',
        name: 'bare',
        labels: { 'app.kubernetes.io/name': 'bare' },
        images: [],
        sync: 'Unknown',
        health: 'Unknown',
      },
      't1',
    );
    compact.seal();
    const [found] = compact.withLabel('app.kubernetes.io/name', 'api');
    expect(found.resource).toEqual(flux);
    expect(Object.keys(found.resource).sort()).toEqual(
      Object.keys(flux).sort(),
    );
    // A label value holding "=" is split at the key's end.
    expect(compact.withLabel('team', 'a=b')).toHaveLength(1);
    const [bare] = compact.withLabel('app.kubernetes.io/name', 'bare');
    expect(bare.resource).toEqual({
      key: '/bare',
      name: 'bare',
      labels: { 'app.kubernetes.io/name': 'bare' },
      images: [],
      sync: 'Unknown',
      health: 'Unknown',
    });
  });

  it('answers copies: a caller changing one does not change the snapshot', () => {
    const compact = new CompactResources('argocd:main');
    compact.add(argoApp('api', 'staging'), 't0');
    compact.seal();
    const [first] = compact.withLabel('gitops/environment', 'staging');
    first.resource.images.push('evil:latest');
    first.resource.labels['gitops/environment'] = 'production';
    const [again] = compact.withLabel('gitops/environment', 'staging');
    expect(again.resource).toEqual(argoApp('api', 'staging'));
  });

  it('keeps times, target namespaces and states of every form exactly, and refuses adds after seal', () => {
    const compact = new CompactResources('argocd:main');
    const odd: LiveResource = {
      ...argoApp('api', 'dev'),
      labels: {},
      targetNamespace: 'api-dev', // the name: rebuilt from it
      lastSyncedAt: '2026-11-20T10:00:00.123Z',
      since: 'yesterday, roughly',
      sync: 'Unknown',
      health: 'Missing',
    };
    const { targetNamespace, ...noTarget } = argoApp('web', 'dev');
    compact.add(odd, '2026-11-20T10:00:00+01:00');
    compact.add(noTarget, '2026-11-21T00:00:00.000Z');
    compact.seal();
    expect(compact.size).toBe(2);
    expect([...compact.all()]).toEqual([
      {
        providerId: 'argocd:main',
        resource: odd,
        since: '2026-11-20T10:00:00+01:00',
      },
      {
        providerId: 'argocd:main',
        resource: noTarget,
        since: '2026-11-21T00:00:00.000Z',
      },
    ]);
    expect(targetNamespace).toBe('web-dev');
    expect(() => compact.add(argoApp('api', 'dev'), 't0')).toThrow(/seal/);
  });

  describe('image', () => {
    /** Rows of every form: shared and single-use values, rare fields, odd times. */
    function mixed(): Array<[LiveResource, string]> {
      const rows: Array<[LiveResource, string]> = [];
      for (let i = 0; i < 40; i++) {
        const env = ['dev', 'staging', 'production'][i % 3];
        rows.push([
          argoApp(`svc-${Math.floor(i / 3)}`, env),
          't'.repeat(i % 2),
        ]);
      }
      const { reasons, ...plain } = argoApp('plain', 'dev');
      rows.push([{ ...plain, images: ['a:1', 'b:2'] }, '2026-11-20T10:00:00Z']);
      rows.push([
        {
          key: 'Kustomization/flux-system/ünïcødé-производство',
          name: 'ünïcødé-производство',
          labels: { 'app.kubernetes.io/name': 'ünïcødé', team: 'a=b' },
          images: ['registry.example.com/ünï:1'],
          sync: 'Unknown',
          health: 'Missing',
          since: 'yesterday, roughly',
          lastSyncedAt: '2026-11-20T10:00:00.123Z',
          url: 'https://weave.example.com/kustomization?name=x',
        },
        '2026-11-20T10:00:00+01:00',
      ]);
      rows.push([
        {
          key: '/bare',
          name: 'bare',
          labels: {},
          images: [],
          sync: 'Synced',
          health: 'Healthy',
        },
        '2026-11-21T00:00:00.000Z',
      ]);
      return rows;
    }

    function built(rows: Array<[LiveResource, string]>) {
      const compact = new CompactResources('argocd:main');
      for (const [resource, since] of rows) compact.add(resource, since);
      return compact.seal();
    }

    it('reads back exactly the resources and label index it was written from', () => {
      const compact = built(mixed());
      const image = compact.toImage();
      const read = CompactResources.fromImage('argocd:main', image);
      expect(read.size).toBe(compact.size);
      expect([...read.all()]).toEqual([...compact.all()]);
      for (const [key, value] of [
        ['app.kubernetes.io/name', 'svc-3'],
        ['gitops/environment', 'production'],
        ['team', 'a=b'],
        ['app.kubernetes.io/name', 'ünïcødé'],
        ['app.kubernetes.io/name', 'nope'],
      ]) {
        expect(read.withLabel(key, value)).toEqual(
          compact.withLabel(key, value),
        );
      }
      expect(read.withLabel('gitops/environment', 'production')).toHaveLength(
        13,
      );
      // Its own image is the same bytes: nothing is lost on the way.
      expect(read.toImage().equals(image)).toBe(true);
    });

    it('reads back a provider large enough for a block of its own', () => {
      const compact = new CompactResources('argocd:main');
      for (let i = 0; i < 20_000; i++) {
        compact.add(
          argoApp(
            `svc-${Math.floor(i / 3)}`,
            ['dev', 'staging', 'prod'][i % 3],
          ),
          '2026-11-20T10:01:00.000Z',
        );
      }
      compact.seal();
      const image = compact.toImage();
      // Over a mebibyte: the block is mapped on its own, not the allocator's.
      expect(image.length).toBeGreaterThan(1024 * 1024);
      const read = CompactResources.fromImage('argocd:main', image);
      expect(read.size).toBe(20_000);
      for (const name of ['svc-0', 'svc-4321', 'svc-6666']) {
        expect(read.withLabel('app.kubernetes.io/name', name)).toEqual(
          compact.withLabel('app.kubernetes.io/name', name),
        );
      }
      expect(read.withLabel('gitops/environment', 'prod')).toHaveLength(6_666);
      expect(read.toImage().equals(image)).toBe(true);
    });

    it('keeps characters outside the BMP whole wherever the header is cut into slices', () => {
      // Slices of 16 Ki characters; one cut one character short is a cut
      // moved off a surrogate pair.
      let movedCuts = 0;
      for (let shift = 0; shift < 8; shift++) {
        const compact = new CompactResources('argocd:main');
        for (let i = 0; i < 400; i++) {
          compact.add(
            {
              ...argoApp(`svc-${i}`, 'dev'),
              // Shared by two rows: in the header's table, emoji and all.
              images: [`${'x'.repeat(shift)}${'😀'.repeat(20)}-${i}`],
            },
            't0',
          );
          compact.add(
            {
              ...argoApp(`svc-${i}`, 'prod'),
              images: [`${'x'.repeat(shift)}${'😀'.repeat(20)}-${i}`],
            },
            't0',
          );
        }
        compact.seal();
        const parts = compact.imageParts();
        expect(parts.length).toBeGreaterThan(4);
        movedCuts += parts.filter(
          p => p.toString().length === 16 * 1024 - 1,
        ).length;
        const read = CompactResources.fromImage(
          'argocd:main',
          compact.toImage(),
        );
        expect([...read.all()]).toEqual([...compact.all()]);
      }
      expect(movedCuts).toBeGreaterThan(0);
    });

    it('reads an image at any byte offset, and an empty one', () => {
      const image = built(mixed()).toImage();
      const shifted = new Uint8Array(image.length + 3);
      shifted.set(image, 3);
      const read = CompactResources.fromImage(
        'argocd:main',
        shifted.subarray(3),
      );
      expect([...read.all()]).toHaveLength(43);
      const empty = CompactResources.fromImage(
        'argocd:main',
        new CompactResources('argocd:main').seal().toImage(),
      );
      expect(empty.size).toBe(0);
      expect(empty.withLabel('a', 'b')).toEqual([]);
    });

    it('refuses a damaged image with a SnapshotImageError, or reads it as well-formed rows: never a crash', () => {
      const image = built(mixed()).toImage();
      const refused = (bytes: Uint8Array) => {
        let error: unknown;
        try {
          CompactResources.fromImage('argocd:main', bytes);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(SnapshotImageError);
        return (error as Error).message;
      };
      expect(refused(image.subarray(0, 8))).toMatch(/too short/);
      expect(refused(Buffer.from('{"not":"an image"}'))).toMatch(
        /not an image/,
      );
      const otherFormat = Buffer.from(image);
      otherFormat.writeUInt32LE(IMAGE_FORMAT + 1, 4);
      expect(refused(otherFormat)).toMatch(/format/);
      expect(refused(image.subarray(0, image.length - 9))).toMatch(/cut off/);

      // Every single flipped byte past the header is refused or reads as
      // well-formed resources (a value may differ: the store's gzip CRC
      // catches that): no id points outside its table, nothing throws.
      const headerEnd = 12 + image.readUInt32LE(8);
      let refusals = 0;
      const malformed: number[] = [];
      for (let at = headerEnd; at < image.length; at++) {
        const damaged = Buffer.from(image);
        damaged[at] ^= 0xff;
        let read: CompactResources;
        try {
          read = CompactResources.fromImage('argocd:main', damaged);
        } catch (e) {
          if (!(e instanceof SnapshotImageError)) throw e;
          refusals++;
          continue;
        }
        for (const { resource } of read.all()) {
          const wellFormed =
            typeof resource.name === 'string' &&
            typeof resource.key === 'string' &&
            SYNC_STATUSES.includes(resource.sync) &&
            HEALTH_STATUSES.includes(resource.health) &&
            resource.images.every(i => typeof i === 'string');
          if (!wellFormed) malformed.push(at);
        }
      }
      expect(malformed).toEqual([]);
      expect(refusals).toBeGreaterThan(0);
    });

    it('refuses columns that point outside their tables', () => {
      const compact = built(mixed());
      const image = compact.toImage();
      const headerLength = image.readUInt32LE(8);
      const header = JSON.parse(
        image.subarray(12, 12 + headerLength).toString(),
      );
      // Drop the shared table's last value: some column now points past it.
      const shorter = { ...header, values: header.values.slice(0, -1) };
      const json = Buffer.from(JSON.stringify(shorter));
      const pad = (n: number) => Math.ceil(n / 8) * 8;
      const rebuilt = Buffer.alloc(
        pad(12 + json.length) + image.length - pad(12 + headerLength),
      );
      image.copy(rebuilt, 0, 0, 12);
      rebuilt.writeUInt32LE(json.length, 8);
      json.copy(rebuilt, 12);
      image.copy(rebuilt, pad(12 + json.length), pad(12 + headerLength));
      expect(() => CompactResources.fromImage('argocd:main', rebuilt)).toThrow(
        /snapshot image of argocd:main: \w+ id/,
      );
    });
  });
});
