import type { EnvironmentStatus } from '@goldenpath/plugin-gitops-common';
import {
  combinedStatus,
  controllerLabel,
  desiredLabel,
  desiredValue,
  driftExplanation,
  isProblem,
  liveLabels,
  liveValues,
  relativeTime,
  shortRevision,
  summarize,
} from './viewModel';

const env = (over: Partial<EnvironmentStatus> = {}): EnvironmentStatus => ({
  name: 'production',
  controller: 'argocd',
  drift: false,
  desired: { image: 'r/svc', tag: 'v2' },
  live: { images: ['r/svc:v2'], sync: 'Synced', health: 'Healthy' },
  ...over,
});

describe('view model', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  it('labels desired and live images', () => {
    expect(desiredLabel({ image: 'r', tag: 'v1' })).toBe('v1');
    expect(desiredLabel({ image: 'r', digest })).toBe(`@sha256:aaaaaaaaaaaa`);
    expect(desiredLabel(undefined)).toBeUndefined();
    expect(
      liveLabels(
        env({
          live: {
            images: ['localhost:5000/r:v3', `r@${digest}`, 'r'],
            sync: 'Synced',
            health: 'Healthy',
          },
        }),
      ),
    ).toEqual(['v3', '@sha256:aaaaaaaaaaaa', 'latest']);
  });

  it('keeps whole tags and digests for the tables, with the full reference', () => {
    expect(desiredValue({ image: 'r/svc', digest })).toEqual({
      label: `@${digest}`,
      full: `r/svc@${digest}`,
    });
    expect(desiredValue({ image: 'localhost:5000/svc' })).toEqual({
      label: 'latest',
      full: 'localhost:5000/svc:latest',
    });
    expect(
      liveValues(
        env({
          live: {
            images: ['localhost:5000/r:v3-rc.1', `r@${digest}`, 'r'],
            sync: 'Synced',
            health: 'Healthy',
          },
        }),
      ),
    ).toEqual([
      { label: 'v3-rc.1', full: 'localhost:5000/r:v3-rc.1' },
      { label: `@${digest}`, full: `r@${digest}` },
      { label: 'latest', full: 'r' },
    ]);
  });

  it('shortens revisions', () => {
    const sha = '4f2a9c1d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
    expect(shortRevision(sha)).toBe('4f2a9c1');
    expect(shortRevision(`main@sha1:${sha}`)).toBe('main@sha1:4f2a9c1');
    expect(shortRevision('v1.2.3')).toBe('v1.2.3');
  });

  it('explains drift', () => {
    expect(driftExplanation(env())).toBeUndefined();
    expect(
      driftExplanation(
        env({
          drift: true,
          live: { images: ['r/svc:v1'], sync: 'OutOfSync', health: 'Healthy' },
        }),
      ),
    ).toBe(
      'Git wants v2, production runs v1: the change is waiting to roll out (or the environment was changed by hand).',
    );
  });

  it.each([
    [env(), 'ok'],
    [
      env({ live: { images: [], sync: 'OutOfSync', health: 'Healthy' } }),
      'warning',
    ],
    [env({ drift: true }), 'warning'],
    [
      env({ live: { images: [], sync: 'Synced', health: 'Suspended' } }),
      'warning',
    ],
    [
      env({ live: { images: [], sync: 'Synced', health: 'Progressing' } }),
      'pending',
    ],
    [
      env({ live: { images: [], sync: 'Unknown', health: 'Unknown' } }),
      'pending',
    ],
    [
      env({ live: { images: [], sync: 'Synced', health: 'Degraded' } }),
      'error',
    ],
    [env({ live: { images: [], sync: 'Synced', health: 'Missing' } }), 'error'],
    [
      env({
        live: { images: [], sync: 'Synced', health: 'Healthy', stale: true },
      }),
      'error',
    ],
    [env({ error: { message: 'x' } }), 'error'],
    [env({ live: undefined }), 'pending'],
  ])('combines %j into %s', (e, expected) => {
    expect(combinedStatus(e)).toBe(expected);
    expect(isProblem(e)).toBe(expected === 'error' || expected === 'warning');
  });

  it('summarizes a team', () => {
    expect(
      summarize([
        {
          environments: [
            env(),
            env({
              drift: true,
              live: { images: [], sync: 'OutOfSync', health: 'Degraded' },
            }),
          ],
        },
        { environments: [env({ error: { message: 'x' } })] },
      ]),
    ).toEqual({
      components: 2,
      outOfSync: 1,
      degraded: 1,
      drifting: 1,
      errors: 1,
    });
  });

  it('tells relative times', () => {
    const now = Date.parse('2026-11-22T12:00:00Z');
    expect(relativeTime('2026-11-22T11:18:00Z', now)).toBe('42 minutes ago');
    expect(relativeTime('2026-11-22T11:59:59Z', now)).toBe('just now');
    expect(relativeTime('2026-11-20T12:00:00Z', now)).toBe('2 days ago');
    expect(relativeTime(undefined, now)).toBeUndefined();
  });

  it('names the controller: Argo CD, Flux, None, or a third one by its own name', () => {
    expect(controllerLabel(env())).toBe('Argo CD');
    expect(controllerLabel(env({ controller: 'flux' }))).toBe('Flux');
    expect(controllerLabel(env({ controller: 'none' }))).toBe('None');
    expect(
      controllerLabel(env({ controller: 'kargo', controllerName: 'Kargo' })),
    ).toBe('Kargo');
    expect(controllerLabel(env({ controller: 'kargo' }))).toBe('kargo');
  });
});
