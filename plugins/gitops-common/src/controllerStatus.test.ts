import {
  argoCdReasons,
  argoCdStateSince,
  cleanControllerMessage,
  controllerTime,
  fluxReasons,
  fluxStateSince,
  MAX_REASON_MESSAGE_LENGTH,
  MAX_STATUS_REASONS,
} from './controllerStatus';
import degraded from './__fixtures__/argocd-application-degraded.json';
import syncFailed from './__fixtures__/argocd-application-sync-failed.json';
import comparisonError from './__fixtures__/argocd-application-comparison-error.json';
import healthy from './__fixtures__/argocd-application-healthy.json';
import fluxFailed from './__fixtures__/flux-kustomization-health-check-failed.json';
import fluxStalled from './__fixtures__/flux-kustomization-stalled.json';
import fluxReady from './__fixtures__/flux-kustomization-ready.json';
import fluxProgressing from './__fixtures__/flux-kustomization-progressing.json';

describe('argoCdReasons', () => {
  it('gives a degraded Deployment its own message', () => {
    expect(argoCdReasons(degraded)).toEqual([
      {
        source: 'resource',
        type: 'Deployment/inference-api',
        message: 'Deployment "inference-api" exceeded its progress deadline',
      },
    ]);
  });

  it('gives a failed sync once (its SyncError repeats it), warnings last', () => {
    expect(argoCdReasons(syncFailed)).toEqual([
      {
        source: 'condition',
        type: 'SyncError',
        message: expect.stringMatching(
          /^Failed sync attempt to 9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c: one or more objects failed to apply, reason: Deployment.apps "embeddings-worker" is invalid/,
        ),
        since: '2026-11-22T22:31:07.000Z',
      },
      {
        source: 'condition',
        type: 'OrphanedResourceWarning',
        message: 'Application has 1 orphaned resources',
        since: '2026-11-21T10:00:00.000Z',
      },
    ]);
  });

  it('keeps a comparison error, without the credentials in its URL', () => {
    const reasons = argoCdReasons(comparisonError);
    expect(reasons).toEqual([
      {
        source: 'condition',
        type: 'ComparisonError',
        message: expect.stringContaining(
          'authentication required: https://github.com/example/gitops.git',
        ),
        since: '2026-11-22T23:01:00.000Z',
      },
    ]);
    expect(JSON.stringify(reasons)).not.toMatch(/s3cr3t|deploy-bot/);
  });

  it('gives none for a Synced and Healthy application', () => {
    expect(argoCdReasons(healthy)).toEqual([]);
  });

  it('puts the health message before a summary of a failed operation', () => {
    expect(
      argoCdReasons({
        status: {
          health: {
            status: 'Progressing',
            message:
              'Waiting for rollout to finish: 1 of 3 updated replicas are available...',
            lastTransitionTime: '2026-11-22T23:30:00Z',
          },
          operationState: {
            phase: 'Error',
            message: 'ComparisonError: rpc error: code = DeadlineExceeded',
            finishedAt: '2026-11-22T23:31:00Z',
          },
        },
      }),
    ).toEqual([
      {
        source: 'health',
        type: 'Progressing',
        message:
          'Waiting for rollout to finish: 1 of 3 updated replicas are available...',
        since: '2026-11-22T23:30:00.000Z',
      },
      {
        source: 'operation',
        type: 'Error',
        message: 'ComparisonError: rpc error: code = DeadlineExceeded',
        since: '2026-11-22T23:31:00.000Z',
      },
    ]);
  });

  it.each([null, undefined, 'text', 42, {}, { status: { conditions: 'x' } }])(
    'gives none for a malformed payload (%p)',
    payload => {
      expect(argoCdReasons(payload)).toEqual([]);
      expect(argoCdStateSince(payload)).toBeUndefined();
    },
  );

  it(`keeps at most ${MAX_STATUS_REASONS} reasons`, () => {
    const conditions = Array.from({ length: 20 }, (_, i) => ({
      type: 'SyncError',
      message: `error number ${String(i).padStart(2, '0')}`,
    }));
    expect(argoCdReasons({ status: { conditions } })).toHaveLength(
      MAX_STATUS_REASONS,
    );
  });
});

describe('argoCdStateSince', () => {
  it('is the later of the health transition and the last successful sync', () => {
    expect(argoCdStateSince(degraded)).toBe('2026-11-20T21:14:03.000Z');
    expect(argoCdStateSince(healthy)).toBe('2026-11-22T20:05:30.000Z');
  });

  it('is when the failed sync finished, when OutOfSync', () => {
    expect(argoCdStateSince(syncFailed)).toBe('2026-11-22T22:31:07.000Z');
  });

  it('is the latest error condition when no operation failed', () => {
    expect(argoCdStateSince(comparisonError)).toBe('2026-11-22T23:01:00.000Z');
  });

  it('is unknown when Argo CD gives no time for the sync', () => {
    expect(
      argoCdStateSince({
        status: {
          sync: { status: 'OutOfSync' },
          health: {
            status: 'Healthy',
            lastTransitionTime: '2026-10-01T00:00:00Z',
          },
        },
      }),
    ).toBeUndefined();
  });

  it('is unknown without a health transition time (Argo CD before 2.x)', () => {
    const { lastTransitionTime: _, ...health } = degraded.status.health;
    expect(
      argoCdStateSince({ status: { ...degraded.status, health } }),
    ).toBeUndefined();
  });
});

describe('fluxReasons', () => {
  it('gives the Ready condition of a failed health check', () => {
    expect(fluxReasons(fluxFailed)).toEqual([
      {
        source: 'condition',
        type: 'Ready',
        reason: 'HealthCheckFailed',
        message:
          "health check failed after 3m0.009s: timeout waiting for: [Deployment/inference-api-production/inference-api status: 'Failed']",
        since: '2026-11-20T21:07:12.000Z',
      },
    ]);
    expect(fluxStateSince(fluxFailed)).toBe('2026-11-20T21:07:12.000Z');
  });

  it('gives Stalled once when Ready repeats it', () => {
    expect(fluxReasons(fluxStalled)).toEqual([
      expect.objectContaining({
        type: 'Stalled',
        reason: 'BuildFailed',
        message: expect.stringMatching(/^kustomize build failed/),
        since: '2026-11-21T09:12:44.000Z',
      }),
    ]);
  });

  it('gives progress while Ready is Unknown, and none when Ready', () => {
    expect(fluxReasons(fluxProgressing)).toEqual([
      {
        source: 'condition',
        type: 'Ready',
        reason: 'Progressing',
        message: 'Reconciliation in progress',
        since: '2026-11-22T23:40:00.000Z',
      },
    ]);
    expect(fluxReasons(fluxReady)).toEqual([]);
    expect(fluxStateSince(fluxReady)).toBe('2026-11-22T20:06:10.000Z');
  });
});

describe('cleanControllerMessage', () => {
  it.each([
    ['a\nb\t c\u0007d', 'a b c d'],
    ['  ', undefined],
    [42, undefined],
    ['<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>'],
    [
      'pull https://user:pass@registry.example.com/v2/ and ssh://git:t0k@host/x',
      'pull https://registry.example.com/v2/ and ssh://host/x',
    ],
  ])('%p -> %p', (input, expected) => {
    expect(cleanControllerMessage(input)).toBe(expected);
  });

  it('cuts a long message', () => {
    const cleaned = cleanControllerMessage('x'.repeat(5000))!;
    expect(cleaned).toHaveLength(MAX_REASON_MESSAGE_LENGTH);
    expect(cleaned.endsWith('…')).toBe(true);
  });

  it('reads only valid times', () => {
    expect(controllerTime('2026-11-20T21:14:03Z')).toBe(
      '2026-11-20T21:14:03.000Z',
    );
    expect(controllerTime('yesterday')).toBeUndefined();
    expect(controllerTime(17)).toBeUndefined();
  });
});

describe('argoCdReasons on a degraded rollout whose sync failed', () => {
  it("puts the Deployment's own words before the operation's summary", () => {
    const app = {
      ...degraded,
      status: {
        ...degraded.status,
        sync: { status: 'OutOfSync' },
        operationState: {
          phase: 'Failed',
          message:
            'one or more synchronization tasks completed unsuccessfully (retried 5 times).',
          finishedAt: '2026-11-20T21:09:00Z',
        },
      },
    };
    expect(argoCdReasons(app).map(r => [r.source, r.message])).toEqual([
      ['resource', 'Deployment "inference-api" exceeded its progress deadline'],
      [
        'operation',
        'one or more synchronization tasks completed unsuccessfully (retried 5 times).',
      ],
    ]);
    expect(argoCdStateSince(app)).toBe('2026-11-20T21:14:03.000Z');
  });
});
