import { ConflictError, InputError } from '@backstage/errors';
import type { EnvironmentStatus } from '@goldenpath/plugin-gitops-common';
import { planPromotion, runningVersion } from './planPromotion';

const image = 'registry.example.com/ml/inference-api';
const now = new Date('2026-11-22T12:00:00Z');
const environments = [
  { name: 'dev', tagPolicy: 'mutable' as const },
  { name: 'staging', tagPolicy: 'mutable' as const },
  { name: 'production', tagPolicy: 'immutable' as const },
];

function env(
  name: string,
  wants: string,
  runs: string,
  state: Partial<NonNullable<EnvironmentStatus['live']>> = {},
): EnvironmentStatus {
  return {
    name,
    controller: 'argocd',
    desired: { image, tag: wants },
    live: {
      images: [`docker.io/library/busybox:1.36`, `${image}:${runs}`],
      sync: 'Synced',
      health: 'Healthy',
      since: '2026-11-22T10:42:00Z',
      ...state,
    },
    drift: wants !== runs,
  };
}

const healthy = [
  env('dev', 'latest', 'latest'),
  env('staging', 'v1.5.0', 'v1.5.0'),
  env('production', 'v1.4.1', 'v1.4.1'),
];

function plan(
  targetEnvironment: string,
  statuses = healthy,
  extra: { version?: string; targetHistory?: string[] } = {},
) {
  return planPromotion({
    environments,
    statuses,
    targetEnvironment,
    now,
    ...extra,
  });
}

describe('planPromotion', () => {
  it('promotes what the previous environment runs, with the evidence', () => {
    expect(plan('production')).toEqual({
      source: 'staging',
      target: 'production',
      version: 'v1.5.0',
      previousVersion: 'v1.4.1',
      evidence: 'staging runs v1.5.0, Synced and Healthy since 10:42 UTC',
      rollback: false,
    });
  });

  it('reads the running version of the service image, not a sidecar', () => {
    expect(runningVersion(healthy[1])).toBe('v1.5.0');
  });

  it.each([
    [
      'OutOfSync / Degraded',
      env('staging', 'v1.5.0', 'v1.5.0', {
        sync: 'OutOfSync',
        health: 'Degraded',
      }),
      'staging is OutOfSync / Degraded since 10:42 UTC; promoting to production needs staging Synced and Healthy, running what Git wants',
    ],
    [
      'a rollout still under way',
      env('staging', 'v1.5.0', 'v1.4.9'),
      'staging runs v1.4.9 while Git wants v1.5.0',
    ],
    [
      'a stale live state',
      env('staging', 'v1.5.0', 'v1.5.0', { stale: true }),
      "staging's live state is stale",
    ],
    [
      'another day',
      env('staging', 'v1.5.0', 'v1.5.0', {
        health: 'Progressing',
        since: '2026-11-20T08:05:00Z',
      }),
      'staging is Synced / Progressing since 2026-11-20 08:05 UTC',
    ],
  ])('refuses when the source is %s, naming it', (_, staging, message) => {
    const statuses = [healthy[0], staging, healthy[2]];
    expect(() => plan('production', statuses)).toThrow(ConflictError);
    expect(() => plan('production', statuses)).toThrow(message);
  });

  it('refuses the first environment without a version, naming targetEnvironment', () => {
    expect(() => plan('dev')).toThrow(InputError);
    expect(() => plan('dev')).toThrow(/^targetEnvironment dev is the first/);
  });

  it('refuses an environment outside the profile, naming targetEnvironment', () => {
    expect(() => plan('prod')).toThrow(
      'targetEnvironment must be one of the profile\'s environments (dev, staging, production), got "prod"',
    );
  });

  it('refuses a moving tag into an immutable environment, naming version', () => {
    const statuses = [healthy[0], env('staging', 'main', 'main'), healthy[2]];
    expect(() => plan('production', statuses)).toThrow(
      /^version main is a moving tag; production has an immutable tag policy/,
    );
  });

  it('refuses a version the target already wants', () => {
    const statuses = [
      healthy[0],
      healthy[1],
      env('production', 'v1.5.0', 'v1.4.1'),
    ];
    expect(() => plan('production', statuses)).toThrow(
      new ConflictError('production already wants v1.5.0'),
    );
  });

  it('takes an explicit version the previous environment runs', () => {
    expect(plan('production', healthy, { version: 'v1.5.0' })).toMatchObject({
      source: 'staging',
      version: 'v1.5.0',
      rollback: false,
    });
  });

  it('rolls back to a version from the target history', () => {
    const statuses = [
      healthy[0],
      healthy[1],
      env('production', 'v1.5.0', 'v1.5.0'),
    ];
    expect(
      plan('production', statuses, {
        version: 'v1.4.1',
        targetHistory: ['v1.5.0', 'v1.4.1', 'v1.4.0'],
      }),
    ).toEqual({
      target: 'production',
      version: 'v1.4.1',
      previousVersion: 'v1.5.0',
      evidence: 'production ran v1.4.1',
      rollback: true,
    });
  });

  it('rolls back the first environment to what it runs while Git wants another', () => {
    const statuses = [env('dev', 'v2', 'v1'), healthy[1], healthy[2]];
    expect(plan('dev', statuses, { version: 'v1' })).toMatchObject({
      version: 'v1',
      evidence: 'dev runs v1',
      rollback: true,
    });
  });

  it.each([
    ['a malformed version', 'v1 .0', /^version must be an image tag/],
    [
      'a version nobody ran',
      'v9.9.9',
      /^version v9.9.9 is not running in staging \(the previous environment\) and production has not run it/,
    ],
  ])('refuses %s, naming version', (_, version, message) => {
    expect(() => plan('production', healthy, { version })).toThrow(InputError);
    expect(() => plan('production', healthy, { version })).toThrow(message);
  });
});
