import { createDevApp } from '@backstage/dev-utils';
import { EntityProvider, catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { Content, Header, Page } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import {
  EntityGitopsCard,
  EntityGitopsContent,
  GitopsStatusPage,
  gitopsApiRef,
  gitopsPlugin,
} from '../src';
import { entities, gitopsApi } from './fixtures';

// The legacy dev app: `yarn start:legacy`.
createDevApp()
  .registerPlugin(gitopsPlugin)
  .registerApi({ api: gitopsApiRef, deps: {}, factory: () => gitopsApi })
  .registerApi({
    api: catalogApiRef,
    deps: {},
    factory: () => catalogApiMock({ entities }),
  })
  .addPage({
    element: <GitopsStatusPage />,
    title: 'Team page',
    path: '/gitops',
  })
  .addPage({
    title: 'Entity tab',
    path: '/entity',
    element: (
      <Page themeId="service">
        <Header title="inference-api" />
        <Content>
          <EntityProvider entity={entities[0]}>
            <Grid container spacing={3}>
              <Grid item md={4}>
                <EntityGitopsCard />
              </Grid>
              <Grid item md={8}>
                <EntityGitopsContent />
              </Grid>
            </Grid>
          </EntityProvider>
        </Content>
      </Page>
    ),
  })
  .render();
