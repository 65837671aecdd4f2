import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { screen, within } from '@testing-library/react';
import { gitopsApiRef } from '../api';
import { component, environment, staticGitopsApi } from '../testUtils/fixtures';
import { gitopsEntityContent } from './entityContent';

const api = staticGitopsApi({
  'component:default/inference-api': [
    environment('staging', { tag: 'v1.5.0-rc.1' }),
    environment('production', { tag: 'v1.4.2' }),
  ],
});

describe('entity-content:gitops', () => {
  it('is the GitOps tab at /gitops, only on entities with gitops/path', () => {
    const tester = createExtensionTester(gitopsEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/gitops');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('GitOps');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(component('inference-api'))).toBe(true);
    expect(filter?.(component('legacy', { annotated: false }))).toBe(false);
  });

  it("renders the entity's environments from the GitOps API", async () => {
    const tester = createExtensionTester(gitopsEntityContent, {
      apis: [[gitopsApiRef, api]],
    });
    renderInTestApp(
      <EntityProvider entity={component('inference-api')}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[gitopsApiRef, api]] },
    );
    const rows = (await screen.findAllByRole('row')).slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getAllByText('v1.5.0-rc.1')).toHaveLength(2);
    expect(within(rows[1]).getAllByText('v1.4.2')).toHaveLength(2);
  });
});
