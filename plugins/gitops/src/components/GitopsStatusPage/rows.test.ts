import { component, environment } from '../../testUtils/fixtures';
import {
  ALL,
  buildRows,
  compareBySeverity,
  distinct,
  effectiveOwner,
  filterRows,
  longestProblem,
  MINE,
  Row,
  sortRows,
} from './rows';

const entities = [
  component('inference-api', {
    owner: 'ml-team',
    system: 'ai-platform',
  }),
  component('checkout-web', {
    owner: 'group:default/payments-team',
    system: 'system:default/payments',
  }),
];
const rows = buildRows(entities, {
  items: [
    {
      entityRef: 'component:default/inference-api',
      environments: [
        environment('staging'),
        environment('production', {
          live: { images: [], sync: 'OutOfSync', health: 'Degraded' },
        }),
      ],
    },
    {
      entityRef: 'component:default/checkout-web',
      environments: [environment('production')],
    },
    {
      entityRef: 'component:default/gone',
      environments: [],
      error: { message: 'not in the catalog' },
    },
  ],
});

describe('team page rows', () => {
  it('joins entities and statuses, normalizing owner and system refs', () => {
    expect(
      rows.map(r => [
        r.title,
        r.owner,
        r.system,
        Object.keys(r.byName),
        r.error,
      ]),
    ).toEqual([
      [
        'inference-api',
        'group:default/ml-team',
        'system:default/ai-platform',
        ['staging', 'production'],
        undefined,
      ],
      [
        'checkout-web',
        'group:default/payments-team',
        'system:default/payments',
        ['production'],
        undefined,
      ],
      [
        'component:default/gone',
        undefined,
        undefined,
        [],
        'not in the catalog',
      ],
    ]);
    expect(distinct(rows, 'owner')).toEqual([
      'group:default/ml-team',
      'group:default/payments-team',
    ]);
  });

  it.each([
    [
      'my groups',
      { owner: MINE, mine: ['group:default/ml-team'] },
      ['inference-api'],
    ],
    [
      'my groups, owning none: everyone',
      { owner: MINE, mine: ['group:default/nobody'] },
      ['inference-api', 'checkout-web', 'component:default/gone'],
    ],
    ['one owner', { owner: 'group:default/payments-team' }, ['checkout-web']],
    ['one system', { system: 'system:default/ai-platform' }, ['inference-api']],
    [
      'only problems',
      { onlyProblems: true },
      ['inference-api', 'component:default/gone'],
    ],
  ])('filters: %s', (_, over, titles) => {
    const filter = {
      owner: ALL,
      system: ALL,
      onlyProblems: false,
      mine: [] as string[],
      ...over,
    };
    expect(filterRows(rows, filter).map(r => r.title)).toEqual(titles);
  });

  it('"my groups" becomes all owners when the user owns nothing', () => {
    expect(effectiveOwner(rows, MINE, [])).toBe(ALL);
    expect(effectiveOwner(rows, MINE, ['group:default/ml-team'])).toBe(MINE);
  });

  it('sorts an environment column worst first, rows without it last', () => {
    const sorted = [...rows].sort(compareBySeverity('production'));
    expect(sorted.map(r => r.title)).toEqual([
      'inference-api',
      'checkout-web',
      'component:default/gone',
    ]);
  });

  it('orders rows by their longest-lasting problem, or by name', () => {
    const now = Date.parse('2026-11-22T12:00:00Z');
    const live = (health: 'Healthy' | 'Degraded', hoursAgo: number) => ({
      images: [],
      sync: 'Synced' as const,
      health,
      since: new Date(now - hoursAgo * 3_600_000).toISOString(),
    });
    const row = (title: string, envs: Array<ReturnType<typeof live>>): Row => {
      const environments = envs.map((l, i) => ({
        name: `env${i}`,
        controller: 'argocd',
        drift: false,
        live: l,
      }));
      return {
        entityRef: `component:default/${title}`,
        title,
        environments,
        byName: Object.fromEntries(environments.map(e => [e.name, e])),
      };
    };
    const sample = [
      row('a-fine', [live('Healthy', 500)]),
      row('b-new-problem', [live('Degraded', 1), live('Healthy', 900)]),
      row('c-old-problem', [live('Healthy', 1), live('Degraded', 48)]),
    ];
    expect(longestProblem(sample[2], now)).toBe(48 * 3_600_000);
    expect(longestProblem(sample[0], now)).toBe(0);
    expect(sortRows(sample, 'longestProblem', now).map(r => r.title)).toEqual([
      'c-old-problem',
      'b-new-problem',
      'a-fine',
    ]);
    expect(
      sortRows([...sample].reverse(), 'name', now).map(r => r.title),
    ).toEqual(['a-fine', 'b-new-problem', 'c-old-problem']);
    // Within a severity, the environment column puts the longest first.
    const column = [
      row('x', [live('Degraded', 2)]),
      row('y', [live('Degraded', 30)]),
    ].sort(compareBySeverity('env0', now));
    expect(column.map(r => r.title)).toEqual(['y', 'x']);
  });
});
