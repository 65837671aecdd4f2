import { createServiceFactory } from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { JsonObject } from '@backstage/types';
import type { Knex } from 'knex';
import { gitopsPlugin } from '../plugin';
import type { MockDirectory } from '@backstage/backend-test-utils';
import { fakeApplication, startFakeArgoCd } from '@internal/fake-argocd';
import {
  component,
  goldenPathAnnotations,
  profileConfig,
  serviceFiles,
} from './fixtures';

/**
 * One backend replica with the real database and scheduler services on a
 * test PostgreSQL database (schema per plugin), one Argo CD instance and a
 * catalog holding `inference-api`: what the multi-replica and restart tests
 * start, several times over the same database.
 */
export function startReplica(options: {
  knex: Knex;
  repoPath: string;
  argocd: JsonObject;
}) {
  const connection = (options.knex.client as any).config.connection;
  return startTestBackend({
    features: [
      gitopsPlugin,
      databaseServiceFactory,
      schedulerServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: {
              client: 'pg',
              connection,
              pluginDivisionMode: 'schema',
            },
          },
          gitops: {
            ...profileConfig,
            repository: {
              ...profileConfig.repository,
              localPath: options.repoPath,
            },
            argocd: options.argocd,
          },
        },
      }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () =>
          catalogServiceMock({
            entities: [
              component(
                'inference-api',
                goldenPathAnnotations('inference-api'),
              ),
            ],
          }),
      }),
    ],
  });
}

/**
 * The world the replicas see: `inference-api` in the GitOps repository
 * (staging `latest`, production `v1.2.3`) and a fake Argo CD whose staging
 * Application runs `latest`.
 */
export function startInferenceApiWorld(
  repo: MockDirectory,
  options: { latencyMs?: number } = {},
) {
  repo.setContent(
    serviceFiles('inference-api', {
      staging: 'latest',
      production: 'v1.2.3',
    }),
  );
  return startFakeArgoCd({
    token: 't',
    ...options,
    applications: [
      fakeApplication({
        service: 'inference-api',
        environment: 'staging',
        images: ['registry.example.com/inference-api:latest'],
      }),
    ],
  });
}
