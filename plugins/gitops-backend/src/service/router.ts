import type {
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  GitopsProfileResponse,
  MAX_QUERY_ENTITY_REFS,
} from '@goldenpath/plugin-gitops-common';
import type { PlatformProfile } from '@goldenpath/plugin-gitops-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { EnvironmentHistoryService } from '../history/EnvironmentHistoryService';
import type { GitopsStatusService } from '../status/GitopsStatusService';

/** What the router needs; built by the plugin from core services. */
export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  profile: PlatformProfile;
  status: GitopsStatusService;
  history: EnvironmentHistoryService;
}

const querySchema = z
  .object({
    entityRefs: z
      .array(z.string().min(1))
      .max(
        MAX_QUERY_ENTITY_REFS,
        `entityRefs must list at most ${MAX_QUERY_ENTITY_REFS} entity refs`,
      ),
    view: z.enum(['full', 'summary']).optional(),
  })
  .strict();

/** The environments of the golden path as the UI needs them, in promotion order. */
function publicProfile(profile: PlatformProfile): GitopsProfileResponse {
  return {
    environments: profile.environments.map(e => ({
      name: e.name,
      namespace: e.namespace,
      cluster: e.cluster,
      tagPolicy: e.tagPolicy,
      replicas: e.replicas,
      resourceTier: e.resourceTier,
    })),
    defaultController: profile.defaultController,
  };
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, status, history } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  const credentials = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/v1/profile', async (req, res) => {
    await credentials(req);
    res.json(publicProfile(options.profile));
  });

  router.get(
    '/v1/entities/:namespace/:kind/:name/environments',
    async (req, res) => {
      const ref = stringifyEntityRef({
        kind: req.params.kind,
        namespace: req.params.namespace,
        name: req.params.name,
      });
      res.json(await status.getEntityEnvironments(ref, await credentials(req)));
    },
  );

  router.get(
    '/v1/entities/:namespace/:kind/:name/environments/:environment/history',
    async (req, res) => {
      const creds = await credentials(req);
      const ref = stringifyEntityRef({
        kind: req.params.kind,
        namespace: req.params.namespace,
        name: req.params.name,
      });
      res.json(await history.get(ref, req.params.environment, creds));
    },
  );

  router.post('/v1/environments/query', async (req, res) => {
    const creds = await credentials(req);
    const parsed = querySchema.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(
        issue.path.length
          ? `${issue.path.join('.')}: ${issue.message}`
          : issue.message,
      );
    }
    for (const ref of parsed.data.entityRefs) {
      try {
        stringifyEntityRef(parseRef(ref));
      } catch (e) {
        throw new InputError(
          `entityRefs: "${ref}" is not an entity ref (${(e as Error).message})`,
        );
      }
    }
    res.json(
      await status.queryEnvironments(parsed.data.entityRefs, creds, {
        view: parsed.data.view,
      }),
    );
  });

  return router;
}

function parseRef(ref: string) {
  // Full refs only: a team view names kind and namespace explicitly.
  const match = /^([^:/]+):([^:/]+)\/([^:/]+)$/.exec(ref);
  if (!match) throw new Error('expected kind:namespace/name');
  return { kind: match[1], namespace: match[2], name: match[3] };
}
