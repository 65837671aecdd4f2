// Issue #12's attack table for the controller's words and the stuck
// threshold: one row per attack, each asserting the refusal or the
// neutralised output, and that nothing of the secret is passed on.
import { argoCdReasons, fluxReasons } from './controllerStatus';
import { readStuckAfter } from './stuck';

const SECRET = 'ghp_s3cr3tT0ken';

describe('attacks: controller messages passed on to the UI', () => {
  it.each([
    [
      'a token in a repository URL of a ComparisonError',
      argoCdReasons({
        status: {
          conditions: [
            {
              type: 'ComparisonError',
              message: `failed to list refs: https://bot:${SECRET}@github.com/org/gitops.git`,
            },
          ],
        },
      }),
      'failed to list refs: https://github.com/org/gitops.git',
    ],
    [
      'a token in a registry URL of a Flux Ready message',
      fluxReasons({
        status: {
          conditions: [
            {
              type: 'Ready',
              status: 'False',
              reason: 'HealthCheckFailed',
              message: `pull oci://user:${SECRET}@registry.example.com/app failed`,
            },
          ],
        },
      }),
      'pull oci://registry.example.com/app failed',
    ],
    [
      'terminal escapes and new lines in a health message',
      argoCdReasons({
        status: {
          health: {
            status: 'Degraded',
            message: 'bad\u001b[31m red\r\nforged line',
          },
        },
      }),
      'bad [31m red forged line',
    ],
  ])('%s', (_, reasons, expected) => {
    expect(reasons.map(r => r.message)).toEqual([expected]);
    expect(JSON.stringify(reasons)).not.toContain(SECRET);
  });

  it('a message of a megabyte is cut, and at most 8 reasons are kept', () => {
    const reasons = argoCdReasons({
      status: {
        resources: Array.from({ length: 50 }, (_, i) => ({
          kind: 'Deployment',
          name: `d${i}`,
          health: {
            status: 'Degraded',
            message: `${i} ${'x'.repeat(1 << 20)}`,
          },
        })),
      },
    });
    expect(reasons).toHaveLength(8);
    expect(Math.max(...reasons.map(r => r.message.length))).toBe(1000);
  });

  it('a non-string message or type is dropped, not passed on', () => {
    expect(
      argoCdReasons({
        status: {
          conditions: [
            { type: { toString: 'x' }, message: { html: '<b>x</b>' } },
            { type: 'SyncError', message: ['array'] },
          ],
        },
      }),
    ).toEqual([]);
  });
});

describe('attacks: gitops.ui.stuckAfter', () => {
  it.each([
    ['a negative duration', '-10m'],
    ['zero, which would mark every change stuck', '0m'],
    ['a bare number without a unit', 10],
    ['an unknown unit', { fortnights: 1 }],
    ['a script', '<script>alert(1)</script>'],
  ])('%s is refused, naming the key and the rule', (_, value) => {
    expect(() => readStuckAfter(value)).toThrow(
      `gitops.ui.stuckAfter must be a positive duration such as "10m", "2h", "1d" or { minutes: 10 }, got ${JSON.stringify(
        value,
      )}`,
    );
  });
});
