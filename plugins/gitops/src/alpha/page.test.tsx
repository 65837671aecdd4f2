import { identityApiRef } from '@backstage/core-plugin-api';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import { gitopsApiRef } from '../api';
import { component, environment, staticGitopsApi } from '../testUtils/fixtures';
import { gitopsPage } from './page';

describe('page:gitops', () => {
  it('is mounted at /gitops', () => {
    expect(
      createExtensionTester(gitopsPage).get(coreExtensionData.routePath),
    ).toBe('/gitops');
  });

  it("renders the team page with the profile's environments as columns", async () => {
    const tester = createExtensionTester(gitopsPage);
    renderInTestApp(tester.reactElement(), {
      apis: [
        [
          gitopsApiRef,
          staticGitopsApi({
            'component:default/inference-api': [
              environment('staging'),
              environment('production'),
            ],
          }),
        ],
        [
          catalogApiRef,
          catalogApiMock({ entities: [component('inference-api')] }),
        ],
        [identityApiRef, mockApis.identity()],
      ],
      // The catalog plugin binds entity links in an app.
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(
      await screen.findByText('1 of 1 components', undefined, {
        timeout: 10_000,
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('columnheader', { name: /staging/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('columnheader', { name: /production/ }),
    ).toBeInTheDocument();
  });
});
