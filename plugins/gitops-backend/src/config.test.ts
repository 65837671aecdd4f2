import { ConfigReader } from '@backstage/config';
import { readLiveStateConfig } from './config';

describe('readLiveStateConfig', () => {
  it('caps Argo CD answers at 32 MiB unless configured', () => {
    expect(
      readLiveStateConfig(new ConfigReader({})).argocd.maxResponseBytes,
    ).toBe(32 * 1024 * 1024);
    expect(
      readLiveStateConfig(
        new ConfigReader({ gitops: { argocd: { maxResponseBytes: 4096 } } }),
      ).argocd.maxResponseBytes,
    ).toBe(4096);
  });

  it.each([0, 100, 1.5])(
    'refuses maxResponseBytes %s, naming the key',
    value => {
      expect(() =>
        readLiveStateConfig(
          new ConfigReader({ gitops: { argocd: { maxResponseBytes: value } } }),
        ),
      ).toThrow(
        'Invalid app-config: gitops.argocd.maxResponseBytes must be an integer of at least 1024',
      );
    },
  );

  it('checks a local working tree every 2 s and a Git host every 15 s by default', () => {
    const ttl = (repository: object) =>
      readLiveStateConfig(new ConfigReader({ gitops: { repository } }))
        .desiredCacheTtlMs;
    expect(ttl({ localPath: '/srv/gitops' })).toBe(2_000);
    expect(ttl({ url: 'https://github.com/org/gitops' })).toBe(15_000);
    expect(ttl({ localPath: '/srv/gitops', cacheTtl: { seconds: 30 } })).toBe(
      30_000,
    );
  });
});
