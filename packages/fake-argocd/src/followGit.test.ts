import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GitFollower } from './followGit';

const image = 'registry.example.com/ml/inference-api';

function git(repo: string, ...args: string[]) {
  return execFileSync('git', ['-C', repo, ...args], {
    encoding: 'utf8',
  }).trim();
}

describe('GitFollower', () => {
  let repo: string;
  const overlay = () =>
    path.join(
      repo,
      'apps/inference-api/overlays/production/kustomization.yaml',
    );
  const setTag = (tag: string) => {
    fs.writeFileSync(
      overlay(),
      `images:\n  - name: ${image}\n    newTag: ${tag}\n`,
    );
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', `production ${tag}`);
    return git(repo, 'rev-parse', 'HEAD');
  };

  beforeEach(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-argocd-follow-'));
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'config', 'user.email', 'test@example.invalid');
    git(repo, 'config', 'user.name', 'Test');
    fs.mkdirSync(path.dirname(overlay()), { recursive: true });
    fs.mkdirSync(path.join(repo, 'apps/inference-api/argocd'));
    fs.writeFileSync(
      path.join(repo, 'apps/inference-api/argocd/production.yaml'),
      [
        'apiVersion: argoproj.io/v1alpha1',
        'kind: Application',
        'metadata:',
        '  name: inference-api-production',
        'spec:',
        '  destination: { namespace: inference-api-production }',
        '',
      ].join('\n'),
    );
  });

  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

  it('runs what Git wants, and after a change is OutOfSync on the old image until the delay has passed', () => {
    const first = setTag('v1.4.2');
    let now = Date.parse('2026-11-22T12:00:00Z');
    const follower = new GitFollower({
      repo,
      followDelayMs: 10_000,
      now: () => now,
    });
    const status = () => follower.scan()[0].status;
    expect(status().summary!.images).toEqual([`${image}:v1.4.2`]);
    expect(status().sync).toEqual({ status: 'Synced', revision: first });

    const second = setTag('v1.5.0');
    now += 1000;
    expect(status().sync.status).toBe('OutOfSync');
    expect(status().summary!.images).toEqual([`${image}:v1.4.2`]);

    now += 10_000;
    const after = status();
    expect(after.sync).toEqual({ status: 'Synced', revision: second });
    expect(after.summary!.images).toEqual([`${image}:v1.5.0`]);
    expect(after.health).toEqual({
      status: 'Healthy',
      lastTransitionTime: '2026-11-22T12:00:11.000Z',
    });
  });

  it('holds the state a scenario gives until Git wants another version, then follows it', () => {
    setTag('v1.4.2');
    let now = Date.parse('2026-11-22T12:00:00Z');
    const follower = new GitFollower({
      repo,
      followDelayMs: 10_000,
      now: () => now,
      scenario: {
        'inference-api-production': {
          sync: 'OutOfSync',
          health: 'Degraded',
          images: [`${image}:v1.4.1`],
        },
      },
    });
    const status = () => follower.scan()[0].status;
    const held = status();
    expect([held.sync.status, held.health.status]).toEqual([
      'OutOfSync',
      'Degraded',
    ]);
    expect(held.summary!.images).toEqual([`${image}:v1.4.1`]);
    now += 60_000;
    expect(status().health.status).toBe('Degraded');

    setTag('v1.5.0');
    now += 1000;
    const rolling = status();
    expect([rolling.sync.status, rolling.health.status]).toEqual([
      'OutOfSync',
      'Healthy',
    ]);
    expect(rolling.summary!.images).toEqual([`${image}:v1.4.1`]);
    now += 10_000;
    const after = status();
    expect([after.sync.status, after.health.status]).toEqual([
      'Synced',
      'Healthy',
    ]);
    expect(after.summary!.images).toEqual([`${image}:v1.5.0`]);
  });

  it('refuses a scenario time that is not a duration, naming it', () => {
    setTag('v1.4.2');
    const follower = new GitFollower({
      repo,
      scenario: { 'inference-api-production': { healthSince: 'yesterday' } },
    });
    expect(() => follower.scan()).toThrow(
      'scenario: "yesterday" is not a duration such as 90s, 45m, 3h or 2d',
    );
  });
});
