import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  completedRun,
  failedRun,
  fakeScaffolderApi,
} from '../../testUtils/scaffolder';
import { PromoteDialog, PromotionRequest } from './PromoteDialog';

const promotion: PromotionRequest = {
  entityRef: 'component:default/inference-api',
  target: 'production',
  source: 'staging',
  version: 'v1.5.0',
  previousVersion: 'v1.4.2',
  evidence: 'staging runs v1.5.0, Synced and Healthy since 10:42 UTC',
  rollback: false,
};

async function open(
  request: PromotionRequest,
  events: Parameters<typeof fakeScaffolderApi>[0],
) {
  const { api, scaffold } = fakeScaffolderApi(events);
  const onPromoted = jest.fn();
  await renderInTestApp(
    <TestApiProvider apis={[[scaffolderApiRef, api]]}>
      <PromoteDialog
        open
        request={request}
        onClose={() => {}}
        onPromoted={onPromoted}
      />
    </TestApiProvider>,
  );
  return { scaffold, onPromoted };
}

describe('PromoteDialog', () => {
  it('shows from, to and the evidence, runs the template with the reason, and shows the commit', async () => {
    const { scaffold, onPromoted } = await open(
      promotion,
      completedRun({
        text: [
          {
            title: 'GitOps repository',
            content:
              'production now wants `v1.5.0`\n(was `v1.4.2`): commit `0123abcd4567ef890123abcd4567ef8901234567`.',
          },
        ],
      }),
    );
    expect(
      screen.getByRole('heading', {
        name: 'Promote v1.5.0 from staging to production',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('staging (runs v1.5.0)')).toBeInTheDocument();
    expect(
      screen.getByText('production (wants v1.4.2, will want v1.5.0)'),
    ).toBeInTheDocument();
    expect(screen.getByText(promotion.evidence)).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText(/Reason/), {
      target: { value: '  Release 1.5 for the EU launch ' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Promote' }));

    expect(await screen.findByText(/^Committed/)).toHaveTextContent(
      'Committed 0123abcd4567ef890123abcd4567ef8901234567',
    );
    expect(scaffold).toHaveBeenCalledWith({
      templateRef: 'template:default/gitops-promote',
      values: {
        entityRef: 'component:default/inference-api',
        targetEnvironment: 'production',
        reason: 'Release 1.5 for the EU launch',
      },
    });
    expect(
      screen.getByText('Commit to the GitOps repository (completed)'),
    ).toBeInTheDocument();
    expect(onPromoted).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('button', { name: 'Close' })).toBeEnabled();
  });

  it("shows a failed step's error word for word, and does not refresh", async () => {
    const message =
      'staging is Synced / Progressing since 10:42 UTC; promoting to production needs staging Synced and Healthy, running what Git wants';
    const { onPromoted } = await open(
      promotion,
      failedRun({ name: 'ConflictError', message }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Promote' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(message);
    expect(
      screen.getByText('Check the gate and change the overlay (failed)'),
    ).toBeInTheDocument();
    expect(onPromoted).not.toHaveBeenCalled();
  });

  it('passes the version of a rollback explicitly', async () => {
    const { scaffold } = await open(
      {
        entityRef: 'component:default/inference-api',
        target: 'production',
        version: 'v1.4.2',
        previousVersion: 'v1.5.0',
        evidence: 'production ran v1.4.2',
        rollback: true,
      },
      completedRun({}),
    );
    expect(
      screen.getByRole('heading', { name: 'Roll back production to v1.4.2' }),
    ).toBeInTheDocument();
    expect(screen.getByText("production's history")).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Roll back' }));
    await waitFor(() =>
      expect(scaffold).toHaveBeenCalledWith({
        templateRef: 'template:default/gitops-promote',
        values: {
          entityRef: 'component:default/inference-api',
          targetEnvironment: 'production',
          version: 'v1.4.2',
        },
      }),
    );
  });

  describe('attacks', () => {
    it.each([
      // eslint-disable-next-line no-script-url -- the attack itself
      ['a javascript: link in the task output', 'javascript:alert(1)'],
      ['a data: link in the task output', 'data:text/html,<script>1</script>'],
    ])('%s is not rendered as a link', async (_, url) => {
      await open(
        promotion,
        completedRun({
          links: [
            { title: 'Pull request', url },
            { title: 'Commit', url: 'https://git.example.com/c/1' },
          ],
        }),
      );
      fireEvent.click(screen.getByRole('button', { name: 'Promote' }));
      expect(
        await screen.findByRole('link', { name: /^Commit/ }),
      ).toHaveAttribute('href', 'https://git.example.com/c/1');
      expect(screen.queryByRole('link', { name: /Pull request/ })).toBeNull();
      expect(screen.queryByText('Pull request')).toBeNull();
    });

    it('shows markup in a refusal as text', async () => {
      const message = 'version <img src=x onerror=alert(1)> is refused';
      await open(promotion, failedRun({ name: 'InputError', message }));
      fireEvent.click(screen.getByRole('button', { name: 'Promote' }));
      expect(await screen.findByRole('alert')).toHaveTextContent(message);
      expect(document.querySelector('img[src="x"]')).toBeNull();
    });
  });
});
