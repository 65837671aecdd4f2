import type { EnvironmentStatus } from './types';
import { formatSince, promotionGate, runningVersion } from './promotion';

const image = 'registry.example.com/ml/inference-api';
const now = new Date('2026-11-22T12:00:00Z');
const environments = [
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

const gate = (
  statuses: EnvironmentStatus[],
  targetEnvironment = 'production',
) => promotionGate({ environments, statuses, targetEnvironment, now });

describe('promotionGate', () => {
  it('allows what a healthy previous environment runs, with the evidence', () => {
    expect(
      gate([
        env('staging', 'v1.5.0', 'v1.5.0'),
        env('production', 'v1.4.1', 'v1.4.1'),
      ]),
    ).toEqual({
      target: 'production',
      source: 'staging',
      version: 'v1.5.0',
      previousVersion: 'v1.4.1',
      evidence: 'staging runs v1.5.0, Synced and Healthy since 10:42 UTC',
    });
  });

  it.each([
    [
      'unhealthy',
      env('staging', 'latest', 'latest', { health: 'Progressing' }),
      'staging is Synced / Progressing since 10:42 UTC; promoting to production needs staging Synced and Healthy, running what Git wants',
      'conflict',
    ],
    [
      'still rolling out',
      env('staging', 'v1.5.0', 'v1.4.9'),
      'staging runs v1.4.9 while Git wants v1.5.0; promoting to production needs staging Synced and Healthy, running what Git wants',
      'conflict',
    ],
    [
      'running a moving tag',
      env('staging', 'latest', 'latest'),
      'version latest is a moving tag; production has an immutable tag policy and takes only semantic versions, commit SHAs or digests',
      'input',
    ],
    [
      'running what production already wants',
      env('staging', 'v1.4.1', 'v1.4.1'),
      'production already wants v1.4.1',
      'conflict',
    ],
  ])('refuses a source %s, with the reason', (_, staging, reason, refusal) => {
    const result = gate([staging, env('production', 'v1.4.1', 'v1.4.1')]);
    expect(result).toMatchObject({ source: 'staging', reason, refusal });
    expect(result.evidence).toBeUndefined();
  });

  it('names the version a refused source runs, for the button', () => {
    const staging = env('staging', 'v1.5.0', 'v1.5.0', { health: 'Degraded' });
    expect(gate([staging]).version).toBe('v1.5.0');
  });

  it('refuses the first environment and one outside the profile, naming targetEnvironment', () => {
    expect(gate([], 'staging').reason).toMatch(
      /^targetEnvironment staging is the first environment/,
    );
    expect(gate([], 'prod').reason).toBe(
      'targetEnvironment must be one of the profile\'s environments (staging, production), got "prod"',
    );
  });

  it('refuses a source without a status or live state', () => {
    expect(gate([]).reason).toMatch(/^staging has no status;/);
    const noLive = { ...env('staging', 'v1', 'v1'), live: undefined };
    expect(gate([noLive]).reason).toMatch(
      /^staging has no live state from its controller;/,
    );
  });
});

describe('runningVersion and formatSince', () => {
  it('reads the service image, not a sidecar', () => {
    expect(runningVersion(env('staging', 'v2', 'v1'))).toBe('v1');
  });
  it('shows the day only when it is not today', () => {
    expect(formatSince('2026-11-22T10:42:00Z', now)).toBe('10:42 UTC');
    expect(formatSince('2026-11-20T08:05:00Z', now)).toBe(
      '2026-11-20 08:05 UTC',
    );
  });
});
