import {
  BackstageCredentials,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  PlatformProfile,
  ServiceInput,
  generateService,
  publishServiceTree,
  stageServiceTree,
} from '@goldenpath/plugin-gitops-node';
import fs from 'fs-extra';
import { examples } from './serviceCreate.examples';

/**
 * `gitops:service:create`: generates a service's Kustomize base, overlays,
 * ExternalSecret and controller objects into the workspace. The owner must
 * be a Group or User the catalog holds, looked up with the credentials of
 * the user running the template.
 *
 * @public
 */
export function createServiceCreateAction(options: {
  profile: PlatformProfile;
  catalog: CatalogService;
}) {
  const { profile, catalog } = options;
  const envNames = profile.environments.map(e => e.name).join(', ');

  return createTemplateAction({
    id: 'gitops:service:create',
    description:
      'Generates GitOps manifests for a new service: a Kustomize base, one overlay per environment of the platform profile, ExternalSecrets wiring (references only, never values), and an Argo CD Application or Flux Kustomization per environment.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe(
              'Service name: a DNS-1035 label (lowercase letters, digits and "-", starting with a letter). Names the Deployment, Service, ConfigMap and ExternalSecret.',
            ),
        owner: z =>
          z
            .string()
            .describe(
              'Owning Group or User in the catalog, e.g. group:default/ml-team (kind defaults to group)',
            ),
        description: z =>
          z
            .string()
            .optional()
            .describe('Catalog description of the component'),
        system: z =>
          z
            .string()
            .optional()
            .describe(
              'System entity reference; also the app.kubernetes.io/part-of label',
            ),
        lifecycle: z =>
          z
            .string()
            .optional()
            .describe('Catalog lifecycle, default experimental'),
        image: z =>
          z
            .string()
            .describe(
              'Image repository without tag or digest, e.g. registry.example.com/my-ai-service; tags are set per environment',
            ),
        port: z =>
          z.number().int().optional().describe('Container port, default 8080'),
        healthPaths: z =>
          z
            .object({
              readiness: z
                .string()
                .optional()
                .describe('Readiness probe path, default /health/ready'),
              liveness: z
                .string()
                .optional()
                .describe('Liveness probe path, default /health/live'),
            })
            .strict()
            .optional()
            .describe('HTTP paths of the health probes'),
        config: z =>
          z
            .record(z.union([z.string(), z.number(), z.boolean()]))
            .optional()
            .describe(
              'Non-secret environment variables, written to a ConfigMap',
            ),
        secrets: z =>
          z
            .array(
              z
                .object({
                  name: z
                    .string()
                    .describe('Environment variable name, [A-Z_][A-Z0-9_]*'),
                  remoteKey: z
                    .string()
                    .describe(
                      'Key in the external store, relative to the prefix the profile gives the service (no leading "/", no ".." segments, no whitespace)',
                    ),
                  property: z
                    .string()
                    .optional()
                    .describe(
                      'Property within the remote secret, for JSON secrets',
                    ),
                })
                .strict(),
            )
            .optional()
            .describe(
              'Secrets the service reads through ExternalSecrets. References only: there is no field for a value.',
            ),
        environments: z =>
          z
            .array(
              z
                .object({
                  name: z
                    .string()
                    .describe(
                      `Environment of the platform profile (${envNames})`,
                    ),
                  imageTag: z
                    .string()
                    .optional()
                    .describe(
                      'Image tag or sha256: digest; immutable environments refuse moving tags such as latest',
                    ),
                  replicas: z
                    .number()
                    .int()
                    .optional()
                    .describe('Replicas, default from the profile'),
                  namespace: z
                    .string()
                    .optional()
                    .describe(
                      "Namespace, default from the profile pattern; another only where the environment's allowedNamespaces permit it, never a reserved one",
                    ),
                })
                .strict(),
            )
            .optional()
            .describe(
              `Environments to deploy to; default every profile environment (${envNames}) in promotion order`,
            ),
        controller: z =>
          z
            .enum(['argocd', 'flux', 'none'])
            .optional()
            .describe(
              `GitOps controller; default ${profile.defaultController}`,
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              `Service folder in the workspace and the GitOps repository; default ${profile.repository.appsPath}/<name>`,
            ),
        overwrite: z =>
          z
            .boolean()
            .optional()
            .describe('Replace an existing service folder; default false'),
      },
      output: {
        path: z =>
          z
            .string()
            .describe(
              'The service folder, relative to the workspace and the GitOps repository root',
            ),
        files: z =>
          z
            .array(z.string())
            .describe('Files written, relative to the workspace'),
        environments: z =>
          z
            .array(
              z.object({
                name: z.string(),
                namespace: z.string(),
                imageTag: z.string(),
              }),
            )
            .describe('Environments in promotion order'),
        annotations: z =>
          z
            .record(z.string())
            .describe("Annotations for the component's catalog-info.yaml"),
      },
    },
    async handler(ctx) {
      const { overwrite = false, ...rest } = ctx.input;
      // Everything is checked before anything is written.
      const generated = generateService(rest as ServiceInput, profile);
      const { service } = generated;
      await checkOwnerInCatalog(
        catalog,
        service.owner,
        await ctx.getInitiatorCredentials(),
      );

      let target: string;
      try {
        target = resolveSafeChildPath(ctx.workspacePath, service.targetPath);
      } catch {
        throw new InputError(
          `targetPath must resolve inside the workspace, got "${service.targetPath}"`,
        );
      }
      if (!overwrite && (await fs.pathExists(target))) {
        throw new ConflictError(
          `targetPath "${service.targetPath}" already exists in the workspace; set overwrite to replace it`,
        );
      }

      const staged = await stageServiceTree(generated, {
        kubectl: profile.kubectl,
      });
      try {
        for (const render of staged.renders) {
          ctx.logger.info(
            render.rendered
              ? `overlays/${render.environment}: kubectl kustomize rendered ${render.objectCount} objects`
              : `overlays/${render.environment}: not rendered (${render.reason})`,
          );
        }
        // A dry run writes into its own throwaway workspace too: that is
        // what the template editor lists. The GitOps repository is only
        // ever written by gitops:repository:commit.
        await publishServiceTree(staged, target, { overwrite });
      } finally {
        await staged.cleanup();
      }

      const files = generated.files.map(f => `${service.targetPath}/${f.path}`);
      ctx.logger.info(
        `Wrote ${files.length} files to ${service.targetPath}${
          ctx.isDryRun ? ' of the dry-run workspace' : ''
        } for ${service.environments.map(e => e.name).join(', ')}`,
      );
      ctx.output('path', service.targetPath);
      ctx.output('files', files);
      ctx.output(
        'environments',
        service.environments.map(e => ({
          name: e.name,
          namespace: e.namespace,
          imageTag: (e.digest ?? e.tag)!,
        })),
      );
      ctx.output('annotations', generated.annotations);
    },
  });
}

// The owner must exist and be visible to the user running the template: a
// typo or someone else's private group is refused before anything is
// written.
async function checkOwnerInCatalog(
  catalog: CatalogService,
  owner: string,
  credentials: BackstageCredentials,
) {
  const entity = await catalog.getEntityByRef(owner, { credentials });
  if (!entity) {
    throw new InputError(
      `owner "${owner}" is not a Group or User in the catalog (or you may not see it): choose an existing owner`,
    );
  }
}
