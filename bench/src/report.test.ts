import type { BackendId } from './clients';
import { ratio, renderMarkdown } from './report';
import type { BackendResult, BenchResults, HugeResult } from './results';
import { evaluateTargets, growthPerThousand, TargetVerdict } from './targets';

const backend = (
  id: BackendId,
  overrides: {
    p95?: number;
    teamMs?: number;
    caused?: number;
    polls?: number;
  } = {},
): BackendResult => ({
  id,
  coldStartMs: 4000,
  settleMs: 500,
  entity: {
    requests: 200,
    p50: 5,
    p95: overrides.p95 ?? 8,
    p99: 9,
    backgroundPolls: overrides.polls ?? 0,
    causedPerRequest: overrides.caused ?? 0,
    wrong: 0,
  },
  team: {
    components: 200,
    ms: overrides.teamMs ?? 20,
    firstMs: 50,
    correct: 200,
    backgroundPolls: 0,
    causedPerView: 0,
  },
  rssMiB: 400,
  peakRssMiB: 420,
});

const large = (rssMiB: number): NonNullable<BackendResult['large']> => ({
  coldStartMs: 5000,
  rssMiB,
  peakRssMiB: rssMiB + 20,
  entityP50: 6,
  teamMs: 25,
  wrong: 0,
});

const hugeOurs = (overrides: Partial<HugeResult> = {}): HugeResult => ({
  applications: 100002,
  instances: 10,
  coldStartMs: 9000,
  settleMs: 3000,
  rssMiB: 450,
  peakRssMiB: 520,
  entityP50: 7,
  entityP95: 11,
  teamMs: 30,
  wrong: 0,
  pollCycleMs: 8123,
  pollCycle: { providers: 10, resources: 100002, failed: 0 },
  restartColdStartMs: 2500,
  restart: {
    settleMs: 1000,
    rssMiB: 430,
    peakRssMiB: 470,
    pollCycleMs: 7000,
    wrong: 0,
  },
  ...overrides,
});

const hugePeer = (coldStartMs: number, rssMiB = 480): HugeResult => ({
  applications: 100002,
  instances: 10,
  coldStartMs,
  settleMs: 500,
  rssMiB,
  peakRssMiB: rssMiB + 30,
  entityP50: 60,
  entityP95: 70,
  teamMs: 9000,
  wrong: 0,
});

const results = (
  ours: BackendResult,
  action = 400,
  peers: Partial<Record<'roadie' | 'community', Partial<BackendResult>>> = {},
): BenchResults => ({
  date: '2026-11-22T00:00:00Z',
  machine: {
    cpu: '2 x CPU',
    memoryGiB: 24,
    os: 'Linux',
    node: 'v22',
    kubectl: 'v1.32',
  },
  settings: {
    services: 1000,
    largeServices: 0,
    latencyMs: 25,
    entityRequests: 200,
    teamSize: 200,
    teamRepeats: 10,
    actionRuns: 20,
    warmupMs: 3000,
    pollIntervalSeconds: 30,
    browserConnections: 6,
    hugeServices: 0,
    hugeInstances: 10,
  },
  database: 'PostgreSQL',
  versions: {
    ours: '0.1.0',
    roadie: '4.8.0',
    community: '1.5.0',
    backstageBackendDefaults: '0.18.0',
  },
  backends: {
    ours,
    roadie: {
      ...backend('roadie', { teamMs: 2200, caused: 2 }),
      ...peers.roadie,
    },
    community: {
      ...backend('community', { teamMs: 1200, caused: 1 }),
      ...peers.community,
    },
  },
  action: { runs: 20, p50: action, max: action * 2, renderedObjects: 16 },
  durationSeconds: 120,
});

/** A full-size run: 3,000, 30,000 and 100,002 applications. */
const fullRun = (
  oursHuge: HugeResult = hugeOurs(),
  overrides: Partial<BenchResults> = {},
): BenchResults => {
  const base = results(
    { ...backend('ours'), rssMiB: 300, large: large(330), huge: oursHuge },
    400,
    {
      roadie: { rssMiB: 320, large: large(320), huge: hugePeer(5200) },
      community: {
        rssMiB: 337,
        large: large(466),
        huge: {
          applications: 100002,
          instances: 10,
          notRun: 'community: no correct answer within 180 s: timeout',
        },
      },
    },
  );
  return {
    ...base,
    settings: { ...base.settings, largeServices: 10000, hugeServices: 33334 },
    durationSeconds: 540,
    ...overrides,
  };
};

const byTarget = (verdicts: TargetVerdict[], start: string) => {
  const found = verdicts.find(v => v.target.startsWith(start));
  if (!found) throw new Error(`no target starting "${start}"`);
  return found;
};

describe('report', () => {
  it('gives peer / ours ratios', () => {
    expect(ratio(1200, 20)).toBe('60x');
    expect(ratio(30, 6)).toBe('5.0x');
    expect(ratio(400, 500)).toBe('0.80x');
    expect(ratio(2, 0)).toBe('ours 0');
  });

  it('computes growth per 1,000 applications', () => {
    expect(
      growthPerThousand(
        { applications: 3000, rssMiB: 300 },
        { applications: 100002, rssMiB: 400 },
      ),
    ).toBeCloseTo(100 / 97.002, 6);
  });

  it('meets the targets when ours is fast enough, against the best peer', () => {
    const verdicts = evaluateTargets(results(backend('ours', { teamMs: 20 })));
    const measured = verdicts.filter(v => v.met !== null);
    expect(measured.map(v => [v.target, v.met])).toEqual([
      ['Entity view p95 under 15 ms warm', true],
      ['Team view at least 50x faster than the best peer', true],
      ['No wrong answer', true],
      ['Zero upstream requests per user request', true],
      ['Scaffolder action under 2 s', true],
      ['The full benchmark under 10 minutes', true],
    ]);
    expect(byTarget(verdicts, 'Team view').measured).toMatch(
      /60x \(community 1,200 ms/,
    );
  });

  it('says a size target was not measured when its phase was skipped', () => {
    const verdicts = evaluateTargets(results(backend('ours')));
    const skipped = verdicts.filter(v => v.met === null);
    expect(skipped.map(v => v.target)).toEqual([
      "RSS at the large size at most 1.1x the best peer's",
      'Growth at most 1 MiB per 1,000 applications (3,000 to the huge size)',
      'Under 500 MiB at the huge size',
      "A restarted replica's first correct answer sooner than the best peer's cold start",
    ]);
    expect(skipped[1].measured).toBe('not measured: BENCH_HUGE_SERVICES=0');
    expect(renderMarkdown(results(backend('ours')))).toContain(
      '| Under 500 MiB at the huge size | not measured: BENCH_HUGE_SERVICES=0 | not measured |',
    );
  });

  it('says which target is missed and by how much', () => {
    const verdicts = evaluateTargets(
      results(backend('ours', { teamMs: 40, p95: 25, caused: 0.5 }), 2500),
    );
    expect(verdicts.filter(v => v.met !== null).map(v => v.met)).toEqual([
      false,
      false,
      true,
      false,
      false,
      true,
    ]);
    expect(byTarget(verdicts, 'Team view').detail).toMatch(
      /missed by 1.67x: ours would need 24.0 ms$/,
    );
    const withCatalog = evaluateTargets(
      results({
        ...backend('ours', { teamMs: 40 }),
        catalogMs: { entity: 1, team: 9 },
      }),
    );
    expect(byTarget(withCatalog, 'Team view').detail).toMatch(
      /about 9.0 ms is the catalog's own answer/,
    );
    expect(byTarget(verdicts, 'Zero upstream').detail).toMatch(
      /0.50 upstream requests per user request/,
    );
    expect(byTarget(verdicts, 'Entity view p95').detail).toMatch(
      /missed by 10.0 ms/,
    );
    expect(byTarget(verdicts, 'Scaffolder').detail).toMatch(/missed by 0.50 s/);
  });

  it('does not count background polls as caused by requests', () => {
    const upstream = byTarget(
      evaluateTargets(results(backend('ours', { polls: 1 }))),
      'Zero upstream',
    );
    expect(upstream.met).toBe(true);
    expect(upstream.detail).toMatch(/1 background poll/);
  });

  it('judges memory, growth, restart and duration on a full run', () => {
    const verdicts = evaluateTargets(fullRun());
    expect(verdicts.map(v => [v.target, v.met, v.measured, v.detail])).toEqual([
      [
        "RSS at 30,000 applications at most 1.1x the best peer's",
        true,
        '1.03x on raw RSS, no after-GC figure (ours 330 MiB, roadie 320 MiB)',
        '',
      ],
      [
        'Growth at most 1 MiB per 1,000 applications (3,000 to 100,002 applications)',
        false,
        '1.55 MiB on raw RSS, no after-GC figure (300 to 450 MiB)',
        'missed by 0.55 MiB',
      ],
      [
        'Growth at most 1 MiB per 1,000 applications (3,000 to 30,000 applications)',
        false,
        '1.11 MiB on raw RSS, no after-GC figure (300 to 330 MiB)',
        'missed by 0.11 MiB',
      ],
      [
        'Under 500 MiB at 100,002 applications',
        true,
        '450 MiB raw RSS, no after-GC figure (peak 520 MiB) in 10 instances',
        '',
      ],
      [
        "A restarted replica's first correct answer sooner than the best peer's cold start",
        true,
        'ours 2.50 s after a restart at 100,002 applications; best peer community 4.00 s at 3,000 applications (not run at the huge size)',
        '',
      ],
      [
        'Entity view p95 under 15 ms warm',
        true,
        '8.0 ms (at 100,002 applications: 11.0 ms)',
        '',
      ],
      [
        'Team view at least 50x faster than the best peer',
        true,
        '60x (community 1,200 ms, ours 20.0 ms)',
        '',
      ],
      [
        'No wrong answer',
        true,
        'ours 0 (3,000, 30,000, 100,002, after the restart); roadie 0, community 0',
        '',
      ],
      [
        'Zero upstream requests per user request',
        true,
        '0.00 per entity view, 0.00 per team view',
        '',
      ],
      ['Scaffolder action under 2 s', true, '0.40 s (p50 of 20)', ''],
      ['The full benchmark under 10 minutes', true, '540 s', ''],
    ]);
  });

  /** fullRun with an RSS after a full GC for every backend and size. */
  const gcRun = () => {
    const run = fullRun(
      hugeOurs({
        rssMiB: 690,
        rssAfterGcMiB: 330,
        heapAfterGcMiB: 150,
        restart: {
          settleMs: 1000,
          rssMiB: 640,
          peakRssMiB: 700,
          rssAfterGcMiB: 320,
          heapAfterGcMiB: 140,
          wrong: 0,
        },
      }),
    );
    const b = run.backends;
    Object.assign(b.ours, { rssAfterGcMiB: 250, heapAfterGcMiB: 120 });
    b.ours.large = { ...large(578), rssAfterGcMiB: 260, heapAfterGcMiB: 125 };
    Object.assign(b.roadie, { rssAfterGcMiB: 300, heapAfterGcMiB: 110 });
    b.roadie.large = { ...large(320), rssAfterGcMiB: 300 };
    b.roadie.huge = { ...hugePeer(5200, 480), rssAfterGcMiB: 310 };
    Object.assign(b.community, { rssAfterGcMiB: 310, heapAfterGcMiB: 115 });
    b.community.large = { ...large(466), rssAfterGcMiB: 310 };
    return run;
  };

  it('judges memory on the RSS after a full GC when every side has it', () => {
    const verdicts = evaluateTargets(gcRun());
    // On the raw RSS each of these would be missed (578 / 320 = 1.81x;
    // (690 - 300) / 97.002 = 4.02 MiB; 690 MiB).
    expect(byTarget(verdicts, 'RSS at 30,000')).toEqual({
      target: "RSS at 30,000 applications at most 1.1x the best peer's",
      met: true,
      measured:
        '0.87x on RSS after a full GC (ours 260 MiB, roadie 300 MiB); raw RSS ours 578 MiB, roadie 320 MiB',
      detail: '',
    });
    const growth = verdicts.filter(v => v.target.startsWith('Growth'));
    expect(growth.map(v => [v.met, v.measured])).toEqual([
      [
        true,
        '0.82 MiB on RSS after a full GC (250 to 330 MiB); raw RSS 300 to 690 MiB',
      ],
      [
        true,
        '0.37 MiB on RSS after a full GC (250 to 260 MiB); raw RSS 300 to 578 MiB',
      ],
    ]);
    expect(byTarget(verdicts, 'Under 500 MiB')).toMatchObject({
      met: true,
      measured:
        '330 MiB RSS after a full GC (raw RSS 690 MiB, peak 520 MiB) in 10 instances',
    });
  });

  it('misses the memory targets on the after-GC figure by its own margin', () => {
    const run = gcRun();
    run.backends.ours.large!.rssAfterGcMiB = 360;
    run.backends.ours.huge!.rssAfterGcMiB = 520;
    const verdicts = evaluateTargets(run);
    expect(byTarget(verdicts, 'RSS at 30,000')).toMatchObject({
      met: false,
      detail: 'missed by 30 MiB',
    });
    expect(byTarget(verdicts, 'Under 500 MiB')).toMatchObject({
      met: false,
      detail: 'missed by 20 MiB',
    });
    expect(
      byTarget(
        verdicts,
        'Growth at most 1 MiB per 1,000 applications (3,000 to 100,002',
      ),
    ).toMatchObject({ met: false, detail: 'missed by 1.78 MiB' });
  });

  it('falls back to the raw RSS, on both sides, when a GC measure is missing', () => {
    const run = gcRun();
    // A GC measure that failed is recorded as null.
    run.backends.ours.huge!.rssAfterGcMiB = null;
    run.backends.community.large!.rssAfterGcMiB = null;
    const verdicts = evaluateTargets(run);
    expect(byTarget(verdicts, 'RSS at 30,000').measured).toBe(
      '1.81x on raw RSS, no after-GC figure (ours 578 MiB, roadie 320 MiB)',
    );
    const growth = verdicts.filter(v => v.target.startsWith('Growth'));
    // To the huge size: raw at both ends, not after-GC at 3,000 to raw.
    expect(growth[0]).toMatchObject({
      met: false,
      measured: '4.02 MiB on raw RSS, no after-GC figure (300 to 690 MiB)',
    });
    // To 30,000 both ends still have it.
    expect(growth[1].measured).toMatch(/^0.37 MiB on RSS after a full GC/);
    expect(byTarget(verdicts, 'Under 500 MiB')).toMatchObject({
      met: false,
      measured:
        '690 MiB raw RSS, no after-GC figure (peak 520 MiB) in 10 instances',
      detail: 'missed by 190 MiB',
    });
  });

  it('renders the after-GC rows and notes next to the raw RSS', () => {
    const md = renderMarkdown(gcRun());
    expect(md).toContain(
      '| RSS with 3,000 applications (MiB) | 300 | 320 | 1.1x | 337 | 1.1x |',
    );
    expect(md).toContain(
      '| RSS after a full GC with 3,000 applications (MiB) | 250 | 300 | 1.2x | 310 | 1.2x |',
    );
    expect(md).toContain(
      '| RSS after a full GC with 30,000 applications (MiB) | 260 | 300 | 1.2x | 310 | 1.2x |',
    );
    expect(md).toContain(
      '| RSS after a full GC with 100,002 applications, 10 instances (MiB) | 330 | 310 | 0.94x | n/a |  |',
    );
    expect(md).toContain('with 640 MiB RSS (320 MiB after a full GC)');
    expect(md).toContain('- Memory: two figures per backend and size.');
    // Behind on the raw RSS at 30,000, not after a full GC; behind at the
    // huge size on both.
    expect(md).not.toMatch(/Memory at 30,000 applications/);
    expect(md).toMatch(
      /Memory at 100,002 applications \(RSS after a full GC\): ours uses 20 MiB more/,
    );
    // Without the figure the rows say so.
    expect(renderMarkdown(fullRun())).toContain(
      '| RSS after a full GC with 3,000 applications (MiB) | n/a | n/a |  | n/a |  |',
    );
  });

  it('misses the size targets when ours is too large or too slow to restart', () => {
    const verdicts = evaluateTargets(
      fullRun(
        hugeOurs({
          rssMiB: 620,
          restartColdStartMs: 6000,
          restart: { wrong: 2, firstWrong: '5: no live state' },
        }),
        { durationSeconds: 700 },
      ),
    );
    expect(byTarget(verdicts, 'Under 500 MiB')).toMatchObject({
      met: false,
      detail: 'missed by 120 MiB',
    });
    expect(byTarget(verdicts, 'Growth at most 1 MiB').detail).toBe(
      'missed by 2.30 MiB',
    );
    // The peer that ran at the huge size is compared at that size.
    const restart = byTarget(verdicts, "A restarted replica's");
    expect(restart).toMatchObject({ met: false, detail: 'missed by 2.00 s' });
    expect(restart.measured).toMatch(/best peer community 4.00 s at 3,000/);
    expect(byTarget(verdicts, 'No wrong answer')).toMatchObject({
      met: false,
      detail: 'first: 5: no live state',
    });
    expect(byTarget(verdicts, 'The full benchmark')).toMatchObject({
      met: false,
      detail: 'missed by 100 s',
    });
  });

  it('compares the restart with the peers at the huge size when they ran there', () => {
    const run = fullRun();
    run.backends.community.huge = hugePeer(4500);
    run.backends.roadie.huge = hugePeer(3000);
    const restart = byTarget(evaluateTargets(run), "A restarted replica's");
    expect(restart.measured).toMatch(
      /best peer roadie 3.00 s at 100,002 applications$/,
    );
    expect(restart.met).toBe(true);
  });

  it('says when the restart gave no correct answer', () => {
    const restart = byTarget(
      evaluateTargets(
        fullRun(
          hugeOurs({
            restartColdStartMs: null,
            restart: { error: 'ours: no correct answer within 180 s' },
          }),
        ),
      ),
      "A restarted replica's",
    );
    expect(restart.met).toBeNull();
    expect(restart.measured).toMatch(/the restart gave no correct answer/);
  });

  it('explains where ours is behind on cold start and memory', () => {
    const slow = { ...backend('ours'), coldStartMs: 6000, rssMiB: 500 };
    const md = renderMarkdown(results(slow));
    expect(md).toContain('## Where ours is behind');
    expect(md).toMatch(/Cold start: ours is 2.00 s behind the fastest peer/);
    expect(md).toMatch(
      /Memory at 3,000 applications \(raw RSS, no after-GC figure\): ours uses 100 MiB more/,
    );
    expect(renderMarkdown(results(backend('ours')))).not.toContain(
      'Where ours is behind',
    );
  });

  it('renders the table with every backend and the targets', () => {
    const md = renderMarkdown(results(backend('ours')));
    expect(md).toContain(
      '| Team view, 200 components (ms) | 20.0 | 2,200.0 | 110x | 1,200.0 | 60x |',
    );
    expect(md).toContain(
      '| Upstream requests per entity view | 0.00 | 2.00 |  | 1.00 |  |',
    );
    expect(md).toContain(
      '| Scaffolder action under 2 s | 0.40 s (p50 of 20) | met |',
    );
    expect(md).not.toContain('RSS with 100,002');
    expect(md).toContain('The huge phase was skipped (BENCH_HUGE_SERVICES=0).');
  });

  it('renders the huge phase: rows, notes, a peer that did not run', () => {
    const md = renderMarkdown(fullRun());
    expect(md).toContain(
      '| RSS with 100,002 applications, 10 instances (MiB) | 450 | 480 | 1.1x | n/a |  |',
    );
    expect(md).toContain(
      '| Peak RSS with 100,002 applications (MiB) | 520 | 510 | 0.98x | n/a |  |',
    );
    expect(md).toContain(
      "| Restart to first correct answer, 100,002 applications (s; a peer's is its cold start) | 2.50 | 5.20 | 2.1x | n/a |  |",
    );
    expect(md).toContain(
      '| Poll cycle, 100,002 applications (ms) | 8,123 | n/a |  | n/a |  |',
    );
    expect(md).toContain('## 100,002 applications');
    expect(md).toContain(
      '100,002 applications (33,334 services x 3) in 10 fake Argo CD instances, one process and port each, each holding a contiguous block of 10,002 applications (the last what is left)',
    );
    expect(md).toContain(
      'community was not measured at this size: community: no correct answer within 180 s: timeout',
    );
    expect(md).toContain('10 providers, 100,002 resources in 8,123 ms');
    expect(md).toMatch(
      /Restart: ours stopped \(SIGTERM\).*first correct answer 2.50 s/,
    );
    expect(md).not.toContain('The last answer before it');
    expect(
      renderMarkdown(
        fullRun(
          hugeOurs({
            restart: {
              wrongBeforeCorrect: 'dev: no live state',
              firstCorrectRequestMs: 13400,
              rssMiB: 430,
              settleMs: 1000,
            },
          }),
        ),
      ),
    ).toContain(
      'The request that got the first correct answer took 13,400 ms. The last answer before it: dev: no live state.',
    );
    expect(md).toContain(
      'the catalog and the GitOps repository keep their 1,000 services',
    );
    expect(md).toMatch(
      /\| Under 500 MiB at 100,002 applications \| .* \| met \|/,
    );
  });

  it('says when polls failed in the first poll cycle', () => {
    const md = renderMarkdown(
      fullRun(
        hugeOurs({
          pollCycleMs: 5100,
          pollCycle: { providers: 10, resources: 80000, failed: 2 },
        }),
      ),
    );
    expect(md).toContain(
      '10 providers, 80,000 resources in 5,100 ms; 2 of the polls failed (serving their last state).',
    );
  });

  it('says so when the backend logged no poll cycle line', () => {
    const md = renderMarkdown(
      fullRun(hugeOurs({ pollCycleMs: null, pollCycle: null })),
    );
    expect(md).toContain('Poll cycle: not measured');
    expect(md).toContain(
      '| Poll cycle, 100,002 applications (ms) | n/a | n/a |  | n/a |  |',
    );
  });

  it('judges the promote action against its target when it was measured', () => {
    const fast = {
      ...results(backend('ours')),
      promote: { runs: 20, p50: 480, max: 900 },
    };
    const slow = { ...fast, promote: { runs: 20, p50: 1250, max: 1900 } };
    expect(renderMarkdown(fast)).toContain(
      '| Promote action under 1 s | 0.48 s (p50 of 20) | met |',
    );
    expect(
      evaluateTargets(slow).find(v => v.target.startsWith('Promote')),
    ).toMatchObject({ met: false, detail: 'missed by 0.25 s' });
    expect(renderMarkdown(results(backend('ours')))).not.toContain('Promote');
  });
});
