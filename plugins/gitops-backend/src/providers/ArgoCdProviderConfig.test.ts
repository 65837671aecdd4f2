import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ArgoCdProvider } from './ArgoCdProvider';
import { readArgoCdProviderConfigs } from './ArgoCdProviderConfig';
import { scheduleTimeoutMs } from './providerSchedule';

const instance = {
  name: 'main',
  url: 'https://argocd.example.com',
  token: 'tok',
};
const read = (argocd: object) =>
  readArgoCdProviderConfigs(new ConfigReader({ gitops: { argocd } }));

describe('readArgoCdProviderConfigs', () => {
  it('reads no instance without config', () => {
    expect(readArgoCdProviderConfigs(new ConfigReader({}))).toEqual([]);
  });

  it('reads every key of an instance, with the defaults', () => {
    expect(
      read({
        instances: [
          { ...instance, frontendUrl: 'https://ui.example.com' },
          { name: 'dr', url: 'https://dr.example.com', token: 'tok2' },
        ],
      }),
    ).toEqual([
      {
        ...instance,
        frontendUrl: 'https://ui.example.com',
        schedule: {
          frequency: { seconds: 30 },
          timeout: { minutes: 1 },
          initialDelay: { seconds: 0 },
        },
        maxResponseBytes: 256 * 1024 * 1024,
      },
      expect.objectContaining({ name: 'dr', frontendUrl: undefined }),
    ]);
  });

  it('reads the schedule of the kind, and lets an instance override it', () => {
    const [main, dr] = read({
      schedule: { frequency: { minutes: 2 }, timeout: { seconds: 20 } },
      instances: [
        instance,
        {
          ...instance,
          name: 'dr',
          schedule: { frequency: { cron: '*/5 * * * *' }, timeout: 'PT1M' },
        },
      ],
    });
    expect(main.schedule.frequency).toMatchObject({ minutes: 2 });
    expect(scheduleTimeoutMs(main.schedule)).toBe(20_000);
    expect(dr.schedule.frequency).toEqual({ cron: '*/5 * * * *' });
    expect(scheduleTimeoutMs(dr.schedule)).toBe(60_000);
  });

  it('reads the deprecated pollInterval and requestTimeout as the schedule', () => {
    const [main] = read({
      pollInterval: { seconds: 7 },
      requestTimeout: { milliseconds: 1500 },
      instances: [instance],
    });
    expect(main.schedule).toEqual({
      frequency: { seconds: 7 },
      timeout: { milliseconds: 1500 },
      initialDelay: { seconds: 0 },
    });
  });

  it('prefers schedule over the deprecated keys', () => {
    const [main] = read({
      pollInterval: { seconds: 7 },
      schedule: { frequency: { seconds: 45 }, timeout: { seconds: 9 } },
      instances: [instance],
    });
    expect(main.schedule.frequency).toMatchObject({ seconds: 45 });
  });

  it('reads maxResponseBytes', () => {
    expect(
      read({ maxResponseBytes: 4096, instances: [instance] })[0]
        .maxResponseBytes,
    ).toBe(4096);
  });

  it.each([0, 100, 1.5])(
    'refuses maxResponseBytes %s, naming the key and the rule',
    value => {
      expect(() => read({ maxResponseBytes: value })).toThrow(
        new InputError(
          'Invalid app-config: gitops.argocd.maxResponseBytes must be an integer of at least 1024',
        ),
      );
    },
  );

  it('refuses a name listed twice, naming the list', () => {
    expect(() => read({ instances: [instance, instance] })).toThrow(
      'Invalid app-config: gitops.argocd.instances lists "main" twice; names must be unique',
    );
  });

  it('refuses a schedule without a timeout, naming the key', () => {
    expect(() =>
      read({
        instances: [{ ...instance, schedule: { frequency: { seconds: 5 } } }],
      }),
    ).toThrow(/^Invalid app-config: gitops\.argocd\.instances\[0\]\.schedule /);
    expect(() =>
      read({ schedule: { frequency: { seconds: 5 } }, instances: [instance] }),
    ).toThrow(/^Invalid app-config: gitops\.argocd\.schedule /);
  });

  it('refuses a deprecated key that is not a duration, naming it', () => {
    expect(() =>
      read({ pollInterval: 'often', instances: [instance] }),
    ).toThrow(
      /^Invalid app-config: gitops\.argocd\.pollInterval must be a duration/,
    );
  });

  it('names the missing key of an instance', () => {
    expect(() => read({ instances: [{ name: 'main', url: 'x' }] })).toThrow(
      /token/,
    );
  });
});

describe('ArgoCdProvider.fromConfig', () => {
  it('builds one provider per instance, on its schedule', () => {
    const logger = mockServices.logger.mock();
    const providers = ArgoCdProvider.fromConfig(
      new ConfigReader({
        gitops: {
          argocd: {
            schedule: { frequency: { minutes: 1 }, timeout: { seconds: 10 } },
            instances: [instance, { ...instance, name: 'dr' }],
          },
        },
      }),
      { logger },
    );
    expect(providers.map(p => p.id)).toEqual(['argocd:main', 'argocd:dr']);
    expect(providers[0].schedule.frequency).toMatchObject({ minutes: 1 });
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('warns once per deprecated key at start-up, naming the old and the new key', () => {
    const logger = mockServices.logger.mock();
    ArgoCdProvider.fromConfig(
      new ConfigReader({
        gitops: {
          argocd: {
            pollInterval: { seconds: 5 },
            requestTimeout: { seconds: 2 },
            instances: [instance, { ...instance, name: 'dr' }],
          },
        },
      }),
      { logger },
    );
    expect(logger.warn.mock.calls).toEqual([
      [
        'gitops.argocd.pollInterval is deprecated: use gitops.argocd.schedule.frequency',
      ],
      [
        'gitops.argocd.requestTimeout is deprecated: use gitops.argocd.schedule.timeout',
      ],
    ]);
  });

  it('says a deprecated key is ignored when schedule is set', () => {
    const logger = mockServices.logger.mock();
    ArgoCdProvider.fromConfig(
      new ConfigReader({
        gitops: {
          argocd: {
            pollInterval: { seconds: 5 },
            schedule: { frequency: { seconds: 9 }, timeout: { seconds: 3 } },
          },
        },
      }),
      { logger },
    );
    expect(logger.warn).toHaveBeenCalledWith(
      'gitops.argocd.pollInterval is deprecated: use gitops.argocd.schedule.frequency; gitops.argocd.schedule is set, so gitops.argocd.pollInterval is ignored',
    );
  });
});
