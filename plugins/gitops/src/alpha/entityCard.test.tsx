import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { screen } from '@testing-library/react';
import { gitopsApiRef } from '../api';
import { component, environment, staticGitopsApi } from '../testUtils/fixtures';
import { gitopsEntityCard } from './entityCard';

const api = staticGitopsApi({
  'component:default/inference-api': [
    environment('production', { tag: 'v1.4.2', liveTag: 'v1.4.1' }),
  ],
});

describe('entity-card:gitops', () => {
  it('shows only on entities with gitops/path', () => {
    const tester = createExtensionTester(gitopsEntityCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter?.(component('inference-api'))).toBe(true);
    expect(filter?.(component('legacy', { annotated: false }))).toBe(false);
  });

  it('renders the tag and drift of each environment', async () => {
    const tester = createExtensionTester(gitopsEntityCard);
    renderInTestApp(
      <EntityProvider entity={component('inference-api')}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[gitopsApiRef, api]] },
    );
    expect(await screen.findByText('v1.4.1')).toBeInTheDocument();
    expect(screen.getByText(/Git wants v1.4.2/)).toBeInTheDocument();
    expect(screen.getByText('needs attention')).toBeInTheDocument();
  });
});
