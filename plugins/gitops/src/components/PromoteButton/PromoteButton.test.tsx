import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import type {
  EnvironmentHistoryItem,
  EnvironmentStatus,
} from '@goldenpath/plugin-gitops-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { gitopsApiRef } from '../../api';
import {
  component,
  environment,
  staticGitopsApi,
} from '../../testUtils/fixtures';
import { completedRun, fakeScaffolderApi } from '../../testUtils/scaffolder';
import { EntityGitopsContent } from '../EntityGitopsContent';

// The permission hook caches by entity: each test has its own component.
async function renderTab(
  name: string,
  envs: EnvironmentStatus[],
  options: {
    allowed?: boolean;
    history?: Record<string, EnvironmentHistoryItem[]>;
    /** What the backend answers once the template has run. */
    afterPromotion?: EnvironmentStatus[];
  } = {},
) {
  const entity: Entity = component(name);
  const byRef = { [`component:default/${name}`]: envs };
  const gitopsApi = staticGitopsApi(byRef, options.history);
  const { api: scaffolderApi, scaffold } = fakeScaffolderApi(
    completedRun({
      text: [{ content: 'production now wants `v1.5.0`: commit `abc1234`.' }],
    }),
  );
  scaffold.mockImplementation(async () => {
    if (options.afterPromotion) {
      byRef[`component:default/${name}`] = options.afterPromotion;
    }
    return { taskId: 'task-1' };
  });
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [gitopsApiRef, gitopsApi],
        [scaffolderApiRef, scaffolderApi],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: options.allowed === false ? 'DENY' : 'ALLOW',
          } as Parameters<typeof mockApis.permission>[0]),
        ],
      ]}
    >
      <EntityProvider entity={entity}>
        <EntityGitopsContent />
      </EntityProvider>
    </TestApiProvider>,
  );
  const rows = async () => (await screen.findAllByRole('row')).slice(1);
  return { rows, scaffold, gitopsApi };
}

const healthyStaging = environment('staging', { tag: 'v1.5.0' });
const production = environment('production', { tag: 'v1.4.2' });

describe('Promote on the GitOps tab', () => {
  it("offers to promote staging's version to production, opens the dialog with the gate's evidence, and keeps it open while the tab shows the new desired version", async () => {
    const { rows } = await renderTab('svc-a', [healthyStaging, production], {
      afterPromotion: [
        healthyStaging,
        environment('production', { tag: 'v1.5.0', liveTag: 'v1.4.2' }),
      ],
    });
    const button = await waitFor(async () =>
      within((await rows())[1]).getByRole('button', {
        name: 'Promote v1.5.0 from staging',
      }),
    );
    await waitFor(() => expect(button).toBeEnabled());
    // Nothing to promote into the first environment.
    expect(
      within((await rows())[0]).queryByRole('button', { name: /Promote/ }),
    ).toBeNull();

    fireEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      /staging runs v1\.5\.0, Synced and Healthy since (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC/,
    );
    expect(dialog).toHaveTextContent(
      'production (wants v1.4.2, will want v1.5.0)',
    );

    fireEvent.click(within(dialog).getByRole('button', { name: 'Promote' }));
    expect(await within(dialog).findByText(/^Committed/)).toHaveTextContent(
      'Committed abc1234',
    );
    // The tab refreshed behind the dialog (hidden from the accessibility
    // tree while it is open): production wants v1.5.0, the button is gone.
    const hiddenRow = () => screen.getAllByRole('row', { hidden: true })[2];
    await waitFor(() =>
      expect(
        within(hiddenRow()).getByText('drift', { ignore: false }),
      ).toBeInTheDocument(),
    );
    expect(
      within(hiddenRow()).queryByRole('button', {
        name: /Promote/,
        hidden: true,
      }),
    ).toBeNull();
    expect(screen.getByRole('dialog')).toHaveTextContent('Committed abc1234');
  });

  it("disables the button with the gate's reason when staging is not healthy", async () => {
    const staging = environment('staging', {
      tag: 'latest',
      live: {
        images: ['registry.example.com/svc:latest'],
        sync: 'Synced',
        health: 'Progressing',
      },
    });
    const { rows } = await renderTab('svc-b', [staging, production]);
    const row = (await rows())[1];
    const button = await within(row).findByRole('button', {
      name: 'Promote latest from staging',
    });
    expect(button).toBeDisabled();
    const reason =
      'staging is Synced / Progressing; promoting to production needs staging Synced and Healthy, running what Git wants';
    expect(button).toHaveAccessibleDescription(reason);
    // In view: the state; the whole sentence on hover.
    const caption = within(row).getByTitle(reason);
    expect(caption.firstChild).toHaveTextContent(
      /^staging is Synced \/ Progressing$/,
    );
  });

  it('disables the button for users who may not promote the component', async () => {
    const { rows } = await renderTab('svc-c', [healthyStaging, production], {
      allowed: false,
    });
    const row = (await rows())[1];
    await waitFor(() =>
      expect(
        within(row).getByText('You may not promote this component'),
      ).toBeInTheDocument(),
    );
    expect(
      within(row).getByRole('button', { name: 'Promote v1.5.0 from staging' }),
    ).toBeDisabled();
  });

  it('offers nothing when production already wants what staging runs', async () => {
    const { rows } = await renderTab('svc-d', [
      healthyStaging,
      environment('production', { tag: 'v1.5.0', liveTag: 'v1.4.2' }),
    ]);
    const row = (await rows())[1];
    expect(within(row).getByText('drift')).toBeInTheDocument();
    expect(within(row).queryByRole('button', { name: /Promote/ })).toBeNull();
  });
});

describe('Environment history on the GitOps tab', () => {
  const history = {
    production: [
      {
        version: 'v1.5.0',
        image: 'registry.example.com/svc:v1.5.0',
        since: '2026-11-22T10:00:00Z',
        revision: '0123abcd4567ef890123abcd4567ef8901234567',
      },
      {
        version: 'v1.4.2',
        image: 'registry.example.com/svc:v1.4.2',
        since: '2026-11-20T08:00:00Z',
        until: '2026-11-22T10:00:00Z',
      },
      {
        version: 'latest',
        image: 'registry.example.com/svc:latest',
        since: '2026-11-19T08:00:00Z',
        until: '2026-11-20T08:00:00Z',
      },
    ],
  };

  it('lists what an environment ran and rolls back to an earlier version through the template', async () => {
    const { scaffold } = await renderTab(
      'svc-e',
      [healthyStaging, environment('production', { tag: 'v1.5.0' })],
      { history },
    );
    fireEvent.click(await screen.findByText('History of production'));
    const list = await screen.findByRole('list', {
      name: 'History of production',
    });
    const items = within(list).getAllByRole('listitem');
    expect(items.map(i => i.querySelector('code')?.textContent)).toEqual([
      'v1.5.0',
      'v1.4.2',
      'latest',
    ]);
    // The newest is what runs: nothing to roll back to.
    expect(within(items[0]).queryByRole('button')).toBeNull();
    // A moving tag cannot go back into an immutable environment.
    expect(within(items[2]).getByRole('button')).toBeDisabled();
    expect(items[2]).toHaveTextContent(
      'version latest is a moving tag; production has an immutable tag policy',
    );

    const rollBack = within(items[1]).getByRole('button', {
      name: 'Roll back to this',
    });
    await waitFor(() => expect(rollBack).toBeEnabled());
    fireEvent.click(rollBack);
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByRole('heading', {
        name: 'Roll back production to v1.4.2',
      }),
    ).toBeInTheDocument();
    expect(dialog).toHaveTextContent('production ran v1.4.2');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    await waitFor(() =>
      expect(scaffold).toHaveBeenCalledWith({
        templateRef: 'template:default/gitops-promote',
        values: {
          entityRef: 'component:default/svc-e',
          targetEnvironment: 'production',
          version: 'v1.4.2',
        },
      }),
    );
    expect(await within(dialog).findByText(/^Committed/)).toHaveTextContent(
      'Committed abc1234',
    );
  });

  it("says why an environment's history is empty", async () => {
    await renderTab('svc-f', [healthyStaging, production]);
    fireEvent.click(await screen.findByText('History of staging'));
    expect(
      await screen.findByText(/No versions recorded for staging yet/),
    ).toBeInTheDocument();
  });
});
