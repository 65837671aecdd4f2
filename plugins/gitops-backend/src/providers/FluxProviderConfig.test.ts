import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { FluxProvider } from './FluxProvider';
import { readFluxProviderConfigs } from './FluxProviderConfig';

const cluster = {
  name: 'eu-1',
  url: 'https://k8s.example.com',
  serviceAccountToken: 'sa',
};
const read = (flux: object) =>
  readFluxProviderConfigs(new ConfigReader({ gitops: { flux } }));

describe('readFluxProviderConfigs', () => {
  it('reads no cluster without config', () => {
    expect(readFluxProviderConfigs(new ConfigReader({}))).toEqual([]);
  });

  it('reads every key of a cluster, with the defaults', () => {
    expect(
      read({
        clusters: [
          { ...cluster, caData: 'Q0E=', skipTLSVerify: true },
          { ...cluster, name: 'us-1' },
        ],
      }),
    ).toEqual([
      {
        ...cluster,
        caData: 'Q0E=',
        skipTLSVerify: true,
        schedule: {
          frequency: { seconds: 30 },
          timeout: { minutes: 1 },
          initialDelay: { seconds: 0 },
        },
      },
      expect.objectContaining({
        name: 'us-1',
        caData: undefined,
        skipTLSVerify: undefined,
      }),
    ]);
  });

  it('reads the schedule of the kind, a cluster overriding it', () => {
    const [eu, us] = read({
      schedule: { frequency: { minutes: 3 }, timeout: { seconds: 30 } },
      clusters: [
        cluster,
        {
          ...cluster,
          name: 'us-1',
          schedule: { frequency: { seconds: 10 }, timeout: { seconds: 4 } },
        },
      ],
    });
    expect(eu.schedule.frequency).toMatchObject({ minutes: 3 });
    expect(us.schedule.frequency).toMatchObject({ seconds: 10 });
  });

  it('reads the deprecated keys as the schedule', () => {
    expect(
      read({
        pollInterval: { seconds: 1 },
        requestTimeout: { seconds: 2 },
        clusters: [cluster],
      })[0].schedule,
    ).toEqual({
      frequency: { seconds: 1 },
      timeout: { seconds: 2 },
      initialDelay: { seconds: 0 },
    });
  });

  it('refuses a name listed twice, naming the list', () => {
    expect(() => read({ clusters: [cluster, cluster] })).toThrow(
      'Invalid app-config: gitops.flux.clusters lists "eu-1" twice; names must be unique',
    );
  });

  it('refuses a malformed schedule, naming the key', () => {
    expect(() =>
      read({
        clusters: [{ ...cluster, schedule: { timeout: { seconds: 5 } } }],
      }),
    ).toThrow(/^Invalid app-config: gitops\.flux\.clusters\[0\]\.schedule /);
  });

  it('names the missing key of a cluster', () => {
    expect(() => read({ clusters: [{ name: 'eu-1', url: 'x' }] })).toThrow(
      /serviceAccountToken/,
    );
  });
});

describe('FluxProvider.fromConfig', () => {
  it('builds one provider per cluster and warns once about a deprecated key', () => {
    const logger = mockServices.logger.mock();
    const providers = FluxProvider.fromConfig(
      new ConfigReader({
        gitops: {
          flux: {
            pollInterval: { seconds: 5 },
            clusters: [cluster, { ...cluster, name: 'us-1' }],
          },
        },
      }),
      { logger },
    );
    expect(providers.map(p => p.id)).toEqual(['flux:eu-1', 'flux:us-1']);
    expect(logger.warn.mock.calls).toEqual([
      [
        'gitops.flux.pollInterval is deprecated: use gitops.flux.schedule.frequency',
      ],
    ]);
  });
});
