import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { GitopsApi, gitopsApiRef } from '../../api';
import { EntityGitopsContent } from './EntityGitopsContent';

const entity = (annotations: Record<string, string> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'inference-api', namespace: 'default', annotations },
  spec: { type: 'service' },
});

const api = (impl: Partial<GitopsApi>) => impl as GitopsApi;

const render = (e: Entity, gitopsApi: GitopsApi) =>
  renderInTestApp(
    <TestApiProvider apis={[[gitopsApiRef, gitopsApi]]}>
      <EntityProvider entity={e}>
        <EntityGitopsContent />
      </EntityProvider>
    </TestApiProvider>,
  );

describe('EntityGitopsContent', () => {
  it('shows set-up guidance when gitops/path is missing', async () => {
    const getEntityEnvironments = jest.fn();
    await render(entity(), api({ getEntityEnvironments }));
    expect(screen.getByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(screen.getAllByText(/gitops\/path/).length).toBeGreaterThan(0);
    expect(getEntityEnvironments).not.toHaveBeenCalled();
  });

  it('lists environments in the order the backend gives', async () => {
    await render(
      entity({ 'gitops/path': 'apps/inference-api' }),
      api({
        getEntityEnvironments: async () => ({
          entityRef: 'component:default/inference-api',
          environments: [
            {
              name: 'staging',
              namespace: 'inference-api-staging',
              controller: 'argocd',
              desired: { image: 'r/inference-api', tag: 'latest' },
              live: {
                images: ['r/inference-api:latest'],
                sync: 'Synced',
                health: 'Healthy',
              },
              drift: false,
            },
            {
              name: 'production',
              namespace: 'inference-api-production',
              controller: 'argocd',
              desired: { image: 'r/inference-api', tag: 'v1.2.3' },
              live: {
                images: ['r/inference-api:v1.2.2'],
                sync: 'OutOfSync',
                health: 'Degraded',
              },
              drift: true,
            },
          ],
        }),
      }),
    );
    expect(await screen.findByText('staging')).toBeInTheDocument();
    expect(screen.getByText('v1.2.3')).toBeInTheDocument();
    expect(screen.getByText('v1.2.2')).toBeInTheDocument();
    expect(screen.getByText('OutOfSync')).toBeInTheDocument();
    expect(screen.getByText('Degraded')).toBeInTheDocument();
    expect(screen.getByText(/Drift/)).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    await render(
      entity({ 'gitops/path': 'apps/inference-api' }),
      api({
        getEntityEnvironments: async () => {
          throw new Error('backend down');
        },
      }),
    );
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
  });
});
