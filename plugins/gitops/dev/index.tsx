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
import {
  component,
  environment,
  staticGitopsApi,
} from '../src/testUtils/fixtures';

// Standalone dev app: `yarn workspace @goldenpath/plugin-gitops start`,
// against a mocked API (no backend needed).
const entities = [
  component('inference-api', { system: 'system:default/ai-platform' }),
  component('checkout-web', { owner: 'group:default/payments-team' }),
  component('legacy-batch', { annotated: false }),
];
const gitopsApi = staticGitopsApi({
  'component:default/inference-api': [
    environment('staging', { tag: 'v1.5.0-rc.1' }),
    environment('production', {
      tag: 'v1.4.2',
      liveTag: 'v1.4.1',
      live: {
        images: ['registry.example.com/svc:v1.4.1'],
        sync: 'OutOfSync',
        health: 'Degraded',
      },
    }),
  ],
  'component:default/checkout-web': [
    environment('staging', {
      error: {
        message:
          'Argo CD instance "main": no answer within 5000 ms; showing the last known state',
      },
    }),
    environment('production', {
      live: {
        images: ['registry.example.com/svc:v1.2.3'],
        sync: 'Synced',
        health: 'Progressing',
      },
    }),
  ],
});

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
