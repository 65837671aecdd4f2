import { identityApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { gitopsApiRef } from '../../api';
import {
  component,
  environment,
  staticGitopsApi,
} from '../../testUtils/fixtures';
import { GitopsStatusPage } from './GitopsStatusPage';

const entities = [
  component('inference-api', {
    owner: 'group:default/ml-team',
    system: 'system:default/ai-platform',
  }),
  component('embeddings-worker', {
    owner: 'group:default/ml-team',
    system: 'system:default/ai-platform',
  }),
  component('checkout-web', {
    owner: 'group:default/payments-team',
    system: 'system:default/payments',
  }),
];
const api = staticGitopsApi({
  'component:default/inference-api': [
    environment('staging'),
    environment('production', {
      tag: 'v1.4.2',
      liveTag: 'v1.4.1',
      live: {
        images: ['registry.example.com/svc:v1.4.1'],
        sync: 'OutOfSync',
        health: 'Degraded',
        since: new Date(Date.now() - 2 * 86_400_000).toISOString(),
        reasons: [
          {
            source: 'resource',
            type: 'Deployment/inference-api',
            message:
              'Deployment "inference-api" exceeded its progress deadline',
          },
        ],
      },
    }),
  ],
  'component:default/embeddings-worker': [
    environment('staging', {
      live: {
        images: ['registry.example.com/svc:v1.2.3'],
        sync: 'Synced',
        health: 'Progressing',
        since: new Date(Date.now() - 20 * 60_000).toISOString(),
      },
    }),
    environment('production'),
  ],
  'component:default/checkout-web': [
    environment('staging'),
    environment('production'),
  ],
});

async function render(ownership: string[]) {
  const queryEnvironments = jest.spyOn(api, 'queryEnvironments');
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [gitopsApiRef, api],
        [catalogApiRef, catalogApiMock({ entities })],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/ada',
            ownershipEntityRefs: ownership,
          }),
        ],
      ]}
    >
      <GitopsStatusPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  await screen.findByText(/of 3 components/);
  return { queryEnvironments };
}

const componentNames = () =>
  screen
    .getAllByRole('link')
    .filter(a => a.getAttribute('href')?.startsWith('/catalog/'))
    .map(a => a.textContent);

describe('GitopsStatusPage', () => {
  afterEach(() => jest.restoreAllMocks());

  it("defaults to the signed-in user's groups, with environments as columns, from one query", async () => {
    const { queryEnvironments } = await render([
      'user:default/ada',
      'group:default/ml-team',
    ]);
    expect(queryEnvironments).toHaveBeenCalledTimes(1);
    expect(queryEnvironments.mock.calls[0][0]).toHaveLength(3);
    expect(queryEnvironments.mock.calls[0][1]).toEqual({ view: 'summary' });
    expect(screen.getByText('2 of 3 components')).toBeInTheDocument();
    expect(componentNames().sort()).toEqual([
      'embeddings-worker',
      'inference-api',
    ]);
    expect(
      screen.getByRole('columnheader', { name: /staging/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('columnheader', { name: /production/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        (_, el) => el?.textContent === 'drift: Git wants v1.4.2',
      ),
    ).toBeInTheDocument();
    const summary = screen.getByLabelText('summary');
    expect(within(summary).getByText('2 components')).toBeInTheDocument();
    expect(within(summary).getByText('1 out of sync')).toBeInTheDocument();
    expect(within(summary).getByText('1 degraded')).toBeInTheDocument();
    expect(within(summary).getByText('1 drifting')).toBeInTheDocument();
  });

  it('shows every owner when the user owns none of the components', async () => {
    await render(['user:default/nobody']);
    expect(screen.getByText('3 of 3 components')).toBeInTheDocument();
  });

  it('filters by owner, by system and to problems only', async () => {
    await render(['group:default/ml-team']);
    fireEvent.mouseDown(screen.getAllByLabelText('Owner')[0]);
    fireEvent.click(await screen.findByRole('option', { name: 'All owners' }));
    await screen.findByText('3 of 3 components');

    fireEvent.mouseDown(screen.getAllByLabelText('System')[0]);
    fireEvent.click(await screen.findByRole('option', { name: 'payments' }));
    await screen.findByText('1 of 3 components');
    expect(componentNames()).toEqual(['checkout-web']);

    fireEvent.mouseDown(screen.getAllByLabelText('System')[0]);
    fireEvent.click(await screen.findByRole('option', { name: 'All systems' }));
    fireEvent.click(screen.getByLabelText('Only problems'));
    await waitFor(() =>
      expect(screen.getByText('1 of 3 components')).toBeInTheDocument(),
    );
    expect(componentNames()).toEqual(['inference-api']);
  });

  it('shows reasons and stuck under each cell, and sorts by the longest problem', async () => {
    await render(['user:default/nobody']);
    expect(screen.getByTestId('short-reason')).toHaveTextContent(
      'Deployment "inference-api" exceeded its progress deadline',
    );
    expect(await screen.findByText('stuck for 2 days')).toBeInTheDocument();
    // Twenty minutes when the data was made; more on a slow machine.
    expect(
      await screen.findByText(/^stuck for 2\d minutes$/),
    ).toBeInTheDocument();
    expect(componentNames()).toEqual([
      'checkout-web',
      'embeddings-worker',
      'inference-api',
    ]);
    fireEvent.mouseDown(screen.getAllByLabelText('Sort')[0]);
    fireEvent.click(
      await screen.findByRole('option', { name: 'Longest problem first' }),
    );
    await waitFor(() =>
      expect(componentNames()).toEqual([
        'inference-api',
        'embeddings-worker',
        'checkout-web',
      ]),
    );
  }, 20_000);
});
