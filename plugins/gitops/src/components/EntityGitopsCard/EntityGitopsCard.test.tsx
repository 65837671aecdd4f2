import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import type { GitopsApi } from '../../api';
import { gitopsApiRef } from '../../api';
import {
  component,
  environment,
  staticGitopsApi,
} from '../../testUtils/fixtures';
import { EntityGitopsCard } from './EntityGitopsCard';

describe('EntityGitopsCard', () => {
  it('shows each environment tag with one combined status and links to the tab', async () => {
    const api = staticGitopsApi({
      'component:default/svc': [
        environment('staging', { tag: 'latest' }),
        environment('production', {
          tag: 'v1.2.3',
          liveTag: 'v1.2.2',
          live: {
            images: ['registry.example.com/svc:v1.2.2'],
            sync: 'OutOfSync',
            health: 'Degraded',
          },
        }),
      ],
    });
    await renderInTestApp(
      <TestApiProvider apis={[[gitopsApiRef, api]]}>
        <EntityProvider entity={component('svc')}>
          <EntityGitopsCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByText('latest')).toBeInTheDocument();
    expect(screen.getByText('in sync')).toBeInTheDocument();
    expect(screen.getByText('v1.2.2')).toBeInTheDocument();
    expect(screen.getByText(/Git wants v1.2.3/)).toBeInTheDocument();
    expect(screen.getByText('failing')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Open GitOps tab/ }),
    ).toHaveAttribute('href', '/gitops');
  });

  it('tells how to set up an unannotated component', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[gitopsApiRef, staticGitopsApi({})]]}>
        <EntityProvider entity={component('svc', { annotated: false })}>
          <EntityGitopsCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(screen.getByText(/annotation to see this/)).toBeInTheDocument();
  });

  it('says why an environment fails, shortened, and since when it is stuck', async () => {
    const api = staticGitopsApi({
      'component:default/svc': [
        environment('production', {
          live: {
            images: ['registry.example.com/svc:v1.2.2'],
            sync: 'Synced',
            health: 'Degraded',
            since: new Date(Date.now() - 2 * 86_400_000).toISOString(),
            reasons: [
              {
                source: 'condition',
                type: 'Ready',
                reason: 'HealthCheckFailed',
                message: `health check failed after 3m0.009s: timeout waiting for: [Deployment/svc-production/svc status: 'Failed'] ${'and more '.repeat(
                  20,
                )}`,
              },
            ],
          },
        }),
      ],
    });
    await renderInTestApp(
      <TestApiProvider apis={[[gitopsApiRef, api]]}>
        <EntityProvider entity={component('svc')}>
          <EntityGitopsCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByText('stuck for 2 days')).toBeInTheDocument();
    const reason = screen.getByTestId('short-reason');
    expect(reason.textContent).toMatch(/^health check failed after 3m0.009s/);
    expect(reason.textContent).toMatch(/…$/);
    expect(reason.textContent!.length).toBeLessThanOrEqual(100);
  });

  it('lists refused annotations with their rules', async () => {
    const refused: GitopsApi = {
      ...staticGitopsApi({}),
      getEntityEnvironments: async () => ({
        entityRef: 'component:default/svc',
        environments: [],
        reason: 'The annotation gitops/path is refused: see below.',
        problems: [
          {
            annotation: 'gitops/path',
            message: 'must not contain "." or ".." segments',
          },
        ],
      }),
    };
    await renderInTestApp(
      <TestApiProvider apis={[[gitopsApiRef, refused]]}>
        <EntityProvider entity={component('svc')}>
          <EntityGitopsCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(/The annotation gitops\/path is refused/),
    ).toBeInTheDocument();
    expect(screen.getByRole('listitem')).toHaveTextContent(
      'gitops/path must not contain "." or ".." segments',
    );
  });

  it('cuts a long tag to the card, whole on hover, with a copy button', async () => {
    const tag = 'v2.14.0-rc.3-build.20261122.1f2e3d4c';
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            gitopsApiRef,
            staticGitopsApi({
              'component:default/svc': [environment('staging', { tag })],
            }),
          ],
        ]}
      >
        <EntityProvider entity={component('svc')}>
          <EntityGitopsCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    const value = await screen.findByText(tag);
    expect(value).toHaveAttribute('title', `registry.example.com/svc:${tag}`);
    expect(value).toHaveStyle({ textOverflow: 'ellipsis', maxWidth: '16ch' });
    expect(
      screen.getByRole('button', { name: 'Copy image reference' }),
    ).toBeInTheDocument();
  });
});
