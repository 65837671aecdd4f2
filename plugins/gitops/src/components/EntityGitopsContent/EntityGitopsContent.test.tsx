import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type {
  EnvironmentStatus,
  HealthStatus,
  SyncStatus,
} from '@goldenpath/plugin-gitops-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { GitopsApi, gitopsApiRef } from '../../api';
import {
  component,
  environment,
  staticGitopsApi,
} from '../../testUtils/fixtures';
import { EntityGitopsContent } from './EntityGitopsContent';

const render = (e: Entity, gitopsApi: GitopsApi) =>
  renderInTestApp(
    <TestApiProvider apis={[[gitopsApiRef, gitopsApi]]}>
      <EntityProvider entity={e}>
        <EntityGitopsContent />
      </EntityProvider>
    </TestApiProvider>,
  );

const withEnvs = (envs: EnvironmentStatus[]) =>
  staticGitopsApi({ 'component:default/svc': envs });

describe('EntityGitopsContent', () => {
  it('shows set-up guidance when gitops/path is missing, without calling the backend', async () => {
    const api = withEnvs([]);
    const spy = jest.spyOn(api, 'getEntityEnvironments');
    await render(component('svc', { annotated: false }), api);
    expect(screen.getByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(screen.getAllByText(/gitops\/path/).length).toBeGreaterThan(0);
    expect(spy).not.toHaveBeenCalled();
  });

  it('lists environments in promotion order with namespace, cluster, tags, revision and a deep link', async () => {
    await render(
      component('svc'),
      withEnvs([
        environment('staging', { tag: 'latest' }),
        environment('production', { tag: 'v1.2.3' }),
      ]),
    );
    const rows = (await screen.findAllByRole('row')).slice(1);
    expect(
      rows.map(r => within(r).getAllByRole('cell')[0].textContent),
    ).toEqual([
      'stagingsvc-staging @ staging-eu-1Argo CD, Opens in a new window',
      'productionsvc-production @ production-eu-1Argo CD, Opens in a new window',
    ]);
    expect(within(rows[1]).getAllByText('v1.2.3')).toHaveLength(2);
    expect(within(rows[1]).getByText('4f2a9c1')).toBeInTheDocument();
    expect(
      within(rows[1]).getByText(/since 42 minutes ago/),
    ).toBeInTheDocument();
    expect(
      within(rows[1]).getByText(/synced 5 minutes ago/),
    ).toBeInTheDocument();
    expect(
      within(rows[1]).getByRole('link', { name: /Argo CD/ }),
    ).toHaveAttribute(
      'href',
      'https://argocd.example.com/applications/argocd/svc-production',
    );
  });

  const syncs: SyncStatus[] = ['Synced', 'OutOfSync', 'Unknown'];
  const healths: HealthStatus[] = [
    'Healthy',
    'Progressing',
    'Degraded',
    'Suspended',
    'Missing',
    'Unknown',
  ];
  it.each(
    syncs.flatMap(sync => healths.map(health => [sync, health] as const)),
  )('renders sync %s and health %s as status chips', async (sync, health) => {
    await render(
      component('svc'),
      withEnvs([
        environment('production', {
          live: { images: ['registry.example.com/svc:v1.2.3'], sync, health },
        }),
      ]),
    );
    const row = (await screen.findAllByRole('row'))[1];
    expect(within(row).getAllByText(sync).length).toBeGreaterThan(0);
    expect(within(row).getAllByText(health).length).toBeGreaterThan(0);
  });

  it('marks drift with a tooltip explaining what is waiting to roll out', async () => {
    await render(
      component('svc'),
      withEnvs([
        environment('production', {
          tag: 'v1.2.3',
          liveTag: 'v1.2.2',
          live: {
            images: ['registry.example.com/svc:v1.2.2'],
            sync: 'OutOfSync',
            health: 'Healthy',
          },
        }),
      ]),
    );
    const marker = await screen.findByLabelText(
      /Git wants v1.2.3, production runs v1.2.2/,
    );
    expect(within(marker).getByText('drift')).toBeInTheDocument();
    fireEvent.mouseOver(marker);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      /waiting to roll out/,
    );
  });

  it('shows an environment error and stale state in its own row, and the other rows still render', async () => {
    await render(
      component('svc'),
      withEnvs([
        environment('staging', {
          error: {
            message:
              'Argo CD instance "main": answered HTTP 500; showing the last known state',
          },
          live: {
            images: ['registry.example.com/svc:latest'],
            sync: 'Synced',
            health: 'Healthy',
            stale: true,
          },
        }),
        environment('production'),
      ]),
    );
    const rows = (await screen.findAllByRole('row')).slice(1);
    expect(within(rows[0]).getByRole('alert')).toHaveTextContent(
      'answered HTTP 500',
    );
    expect(within(rows[0]).getByText('last known state')).toBeInTheDocument();
    expect(within(rows[1]).queryByRole('alert')).toBeNull();
    expect(within(rows[1]).getByText('Healthy')).toBeInTheDocument();
  });

  it('says how old the live state is when the backend answers from a stored snapshot', async () => {
    const envs = [environment('staging', { tag: 'latest' })];
    await render(component('svc'), {
      ...withEnvs(envs),
      getEntityEnvironments: async () => ({
        entityRef: 'component:default/svc',
        environments: envs,
        snapshot: {
          polledAt: '2026-12-02T03:00:00.000Z',
          ageSeconds: 754,
          message:
            'Live state from the stored snapshot of a poll 12 min ago: this backend restarted and answers from it until its first poll ends.',
        },
      }),
    });
    expect(
      await screen.findByText(/Live state from a stored snapshot/),
    ).toBeInTheDocument();
    expect(screen.getByText(/of a poll 12 min ago/)).toBeInTheDocument();
  });

  it('shows no snapshot notice for a fresh answer', async () => {
    await render(
      component('svc'),
      withEnvs([environment('staging', { tag: 'latest' })]),
    );
    await screen.findAllByRole('row');
    expect(screen.queryByText(/Live state from a stored snapshot/)).toBeNull();
  });

  it('shows the reason when there are no environments', async () => {
    await render(component('svc'), {
      ...withEnvs([]),
      getEntityEnvironments: async () => ({
        entityRef: 'component:default/svc',
        environments: [],
        reason: 'Nothing deployed yet.',
      }),
    });
    expect(
      await screen.findByText('Nothing deployed yet.'),
    ).toBeInTheDocument();
  });

  it('shows a backend error, and refreshes on demand', async () => {
    const getEntityEnvironments = jest
      .fn()
      .mockRejectedValueOnce(new Error('backend down'))
      .mockResolvedValue({
        entityRef: 'component:default/svc',
        environments: [environment('staging')],
      });
    await render(component('svc'), { ...withEnvs([]), getEntityEnvironments });
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
    expect(getEntityEnvironments).toHaveBeenCalledTimes(1);
  });

  it('refreshes with the refresh button', async () => {
    const api = withEnvs([environment('staging')]);
    const spy = jest.spyOn(api, 'getEntityEnvironments');
    await render(component('svc'), api);
    await screen.findByText('staging');
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(spy).toHaveBeenCalledTimes(2));
  });
});
