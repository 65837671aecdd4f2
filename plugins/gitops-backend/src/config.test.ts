import { ConfigReader } from '@backstage/config';
import { readLiveStateConfig } from './config';

describe('readLiveStateConfig', () => {
  it('polls at most 4 providers at once unless configured', () => {
    expect(readLiveStateConfig(new ConfigReader({})).pollingConcurrency).toBe(
      4,
    );
    expect(
      readLiveStateConfig(
        new ConfigReader({ gitops: { polling: { concurrency: 9 } } }),
      ).pollingConcurrency,
    ).toBe(9);
  });

  it.each([0, -1, 1.5])(
    'refuses polling.concurrency %s, naming the key and the rule',
    value => {
      expect(() =>
        readLiveStateConfig(
          new ConfigReader({ gitops: { polling: { concurrency: value } } }),
        ),
      ).toThrow(
        'Invalid app-config: gitops.polling.concurrency must be an integer of at least 1',
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
