import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
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
});
