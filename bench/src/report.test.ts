import type { BackendId } from './clients';
import {
  BackendResult,
  BenchResults,
  evaluateTargets,
  ratio,
  renderMarkdown,
} from './report';

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

const results = (ours: BackendResult, action = 400): BenchResults => ({
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
    roadie: backend('roadie', { teamMs: 2200, caused: 2 }),
    community: backend('community', { teamMs: 1200, caused: 1 }),
  },
  action: { runs: 20, p50: action, max: action * 2, renderedObjects: 16 },
  durationSeconds: 120,
});

describe('report', () => {
  it('gives peer / ours ratios', () => {
    expect(ratio(1200, 20)).toBe('60x');
    expect(ratio(30, 6)).toBe('5.0x');
    expect(ratio(400, 500)).toBe('0.80x');
    expect(ratio(2, 0)).toBe('ours 0');
  });

  it('meets the targets when ours is fast enough, against the best peer', () => {
    const verdicts = evaluateTargets(results(backend('ours', { teamMs: 20 })));
    expect(verdicts.map(v => v.met)).toEqual([true, true, true, true]);
    expect(verdicts[0].measured).toMatch(/60x \(community 1,200 ms/);
  });

  it('says which target is missed and by how much', () => {
    const verdicts = evaluateTargets(
      results(backend('ours', { teamMs: 40, p95: 25, caused: 0.5 }), 2500),
    );
    expect(verdicts.map(v => v.met)).toEqual([false, false, false, false]);
    expect(verdicts[0].detail).toMatch(
      /missed by 1.67x: ours would need 24.0 ms$/,
    );
    const withCatalog = evaluateTargets(
      results({
        ...backend('ours', { teamMs: 40 }),
        catalogMs: { entity: 1, team: 9 },
      }),
    );
    expect(withCatalog[0].detail).toMatch(
      /about 9.0 ms is the catalog's own answer/,
    );
    expect(verdicts[1].detail).toMatch(
      /0.50 upstream requests per user request/,
    );
    expect(verdicts[2].detail).toMatch(/missed by 5.0 ms/);
    expect(verdicts[3].detail).toMatch(/missed by 0.50 s/);
  });

  it('does not count background polls as caused by requests', () => {
    const [, upstream] = evaluateTargets(
      results(backend('ours', { polls: 1 })),
    );
    expect(upstream.met).toBe(true);
    expect(upstream.detail).toMatch(/1 background poll/);
  });

  it('explains where ours is behind on cold start and memory', () => {
    const slow = { ...backend('ours'), coldStartMs: 6000, rssMiB: 500 };
    const md = renderMarkdown(results(slow));
    expect(md).toContain('## Where ours is behind');
    expect(md).toMatch(/Cold start: ours is 2.00 s behind the fastest peer/);
    expect(md).toMatch(/Memory at 3,000 applications: ours uses 100 MiB more/);
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
