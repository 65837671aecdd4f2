import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { EnvironmentStatus } from '@goldenpath/plugin-gitops-common';
import { screen, within } from '@testing-library/react';
import { gitopsApiRef } from '../api';
import { component, environment, staticGitopsApi } from '../testUtils/fixtures';
import { EntityGitopsContent } from './EntityGitopsContent';

// What a hostile or broken controller, repository or backend answer can put
// in front of the tab, one row per attack: the tab still renders every
// environment, as text, and nothing runs.
const live = (over: Partial<NonNullable<EnvironmentStatus['live']>>) => ({
  images: ['registry.example.com/svc:v1.2.3'],
  sync: 'Synced' as const,
  health: 'Healthy' as const,
  ...over,
});
const HTML = '<img src=x onerror="window.__attacked=1">';

describe('attacks on the GitOps tab', () => {
  it.each([
    [
      'a javascript: deep link',
      // eslint-disable-next-line no-script-url -- the attack itself
      { live: live({ url: 'javascript:window.__attacked=1' }) },
    ],
    [
      'a data: deep link',
      { live: live({ url: 'data:text/html,<script>1</script>' }) },
    ],
    ['a deep link that is no URL', { live: live({ url: 'not a url' }) }],
  ])('%s is shown as the controller name, no link', async (_, over) => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            gitopsApiRef,
            staticGitopsApi({
              'component:default/svc': [
                environment('staging', over),
                environment('production'),
              ],
            }),
          ],
        ]}
      >
        <EntityProvider entity={component('svc')}>
          <EntityGitopsContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    const rows = (await screen.findAllByRole('row')).slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('Argo CD')).toBeInTheDocument();
    expect(within(rows[0]).queryByRole('link')).toBeNull();
    expect(
      within(rows[1]).getByRole('link', { name: /Argo CD/ }),
    ).toHaveAttribute(
      'href',
      'https://argocd.example.com/applications/argocd/svc-production',
    );
  });

  it.each([
    ['an image tag', { tag: HTML, liveTag: HTML }, HTML],
    ['an error message', { error: { message: HTML } }, HTML],
    ['a revision', { live: live({ revision: HTML }) }, HTML],
  ])('HTML in %s is shown as text and never runs', async (_, over, text) => {
    const { container } = await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            gitopsApiRef,
            staticGitopsApi({
              'component:default/svc': [environment('staging', over)],
            }),
          ],
        ]}
      >
        <EntityProvider entity={component('svc')}>
          <EntityGitopsContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect((await screen.findAllByText(text)).length).toBeGreaterThan(0);
    expect(container.querySelector('img')).toBeNull();
    expect((window as any).__attacked).toBeUndefined();
  });

  it('a 10 000-character tag stays on one line, cut, whole on hover', async () => {
    const tag = `v1-${'a'.repeat(10_000)}`;
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
          <EntityGitopsContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    const values = await screen.findAllByText(tag);
    expect(values).toHaveLength(2);
    for (const value of values) {
      expect(value).toHaveStyle({
        whiteSpace: 'nowrap',
        textOverflow: 'ellipsis',
        maxWidth: '18ch',
      });
      expect(value).toHaveAttribute('title', `registry.example.com/svc:${tag}`);
    }
  });
});
