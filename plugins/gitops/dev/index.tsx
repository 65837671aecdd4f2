import { Content, Header, Page } from '@backstage/core-components';
import { createApp } from '@backstage/frontend-defaults';
import {
  ApiBlueprint,
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import Grid from '@material-ui/core/Grid';
import ReactDOM from 'react-dom/client';
import { useParams } from 'react-router-dom';
import { gitopsApiRef } from '../src';
// The components themselves: the legacy routable extensions of '../src'
// belong to the legacy app only.
import { EntityGitopsCard } from '../src/components/EntityGitopsCard';
import { EntityGitopsContent } from '../src/components/EntityGitopsContent';
import gitopsPlugin from '../src/alpha';
import { entities, gitopsApi } from './fixtures';

// The plugin's dev app on the new frontend system, `yarn start` (the legacy
// one: `yarn start:legacy`): the plugin's own `/alpha` extensions with its API
// replaced by a mocked one, and a mocked catalog. The team page is at
// /gitops, an entity's tab at /catalog/default/component/inference-api.
function DevEntityPage() {
  const { name } = useParams();
  const entity = entities.find(e => e.metadata.name === name) ?? entities[0];
  return (
    <Page themeId="service">
      <Header title={entity.metadata.name} />
      <Content>
        <EntityProvider entity={entity}>
          <Grid container spacing={3}>
            <Grid item xs={12} lg={4}>
              <EntityGitopsCard />
            </Grid>
            <Grid item xs={12} lg={8}>
              <EntityGitopsContent />
            </Grid>
          </Grid>
        </EntityProvider>
      </Content>
    </Page>
  );
}

const devModule = createFrontendModule({
  pluginId: 'gitops',
  extensions: [
    // Same id as the plugin's `api:gitops`, so it replaces it.
    ApiBlueprint.make({
      params: defineParams =>
        defineParams({
          api: gitopsApiRef,
          deps: {},
          factory: () => gitopsApi,
        }),
    }),
  ],
});

const devAppModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    ApiBlueprint.make({
      name: 'catalog-mock',
      params: defineParams =>
        defineParams({
          api: catalogApiRef,
          deps: {},
          factory: () => catalogApiMock({ entities }),
        }),
    }),
    // The entity tab and card need an entity; the catalog plugin is not
    // installed here, so this page shows the one in the URL, and the team
    // page's links lead to it.
    PageBlueprint.make({
      name: 'entity',
      params: {
        path: '/catalog/:namespace/:kind/:name',
        routeRef: entityRouteRef,
        loader: async () => <DevEntityPage />,
      },
    }),
  ],
});

const app = createApp({
  features: [gitopsPlugin, devModule, devAppModule],
});

ReactDOM.createRoot(document.getElementById('root')!).render(app.createRoot());
