import { historyItems, serviceImage } from './historyItems';
import type { HistoryRun } from './HistoryStore';

const DIGEST = `sha256:${'b'.repeat(64)}`;

describe('serviceImage', () => {
  const images = [
    'docker.io/envoyproxy/envoy:v1.31.0',
    'registry.example.com:5000/ml/api:v2',
  ];
  it('is the image of the repository Git wants, a registry port included', () => {
    expect(serviceImage(images, 'registry.example.com:5000/ml/api')).toBe(
      'registry.example.com:5000/ml/api:v2',
    );
  });
  it('is the first image when Git wants none of them or is unknown', () => {
    expect(serviceImage(images, 'registry.example.com/other')).toBe(images[0]);
    expect(serviceImage(images, undefined)).toBe(images[0]);
  });
});

describe('historyItems', () => {
  const run = (
    image: string,
    since: string,
    extra: Partial<HistoryRun> = {},
  ): HistoryRun => ({ images: [image], since, ...extra });

  it('maps runs to versions (digest over tag, latest for neither)', () => {
    expect(
      historyItems(
        [
          [
            run(`r/api:v2@${DIGEST}`, '2026-11-22T12:00:00.000Z', {
              revision: 'abc',
            }),
            run('r/api', '2026-11-22T11:00:00.000Z', {
              until: '2026-11-22T12:00:00.000Z',
            }),
          ],
        ],
        'r/api',
        50,
      ),
    ).toEqual([
      {
        version: DIGEST,
        image: `r/api:v2@${DIGEST}`,
        since: '2026-11-22T12:00:00.000Z',
        revision: 'abc',
      },
      {
        version: 'latest',
        image: 'r/api',
        since: '2026-11-22T11:00:00.000Z',
        until: '2026-11-22T12:00:00.000Z',
      },
    ]);
  });

  it('merges several resources newest first, keeping each one’s order, up to the limit', () => {
    const argo = [
      run('r/api:v4', '2026-11-22T14:00:00.000Z'),
      run('r/api:v2', '2026-11-22T12:00:00.000Z'),
    ];
    const flux = [
      run('r/api:v3', '2026-11-22T13:00:00.000Z'),
      run('r/api:v1', '2026-11-22T11:00:00.000Z'),
    ];
    const versions = (limit: number) =>
      historyItems([argo, flux], 'r/api', limit).map(i => i.version);
    expect(versions(50)).toEqual(['v4', 'v3', 'v2', 'v1']);
    expect(versions(3)).toEqual(['v4', 'v3', 'v2']);
    expect(historyItems([], 'r/api', 50)).toEqual([]);
  });
});
