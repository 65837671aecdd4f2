import { LoggerService } from '@backstage/backend-plugin-api';
import { PlatformProfile } from '@goldenpath/plugin-gitops-node';
import express from 'express';
import Router from 'express-promise-router';

/** What the router needs; built by the plugin from core services. */
export interface RouterOptions {
  logger: LoggerService;
  profile: PlatformProfile;
}

/** The environments of the golden path as the UI needs them, in promotion order. */
function publicProfile(profile: PlatformProfile) {
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
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/v1/profile', (_req, res) => {
    res.json(publicProfile(options.profile));
  });

  return router;
}
