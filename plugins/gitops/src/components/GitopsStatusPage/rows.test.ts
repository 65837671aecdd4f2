import { component, environment } from '../../testUtils/fixtures';
import {
  ALL,
  buildRows,
  compareBySeverity,
  distinct,
  effectiveOwner,
  filterRows,
  MINE,
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
});
