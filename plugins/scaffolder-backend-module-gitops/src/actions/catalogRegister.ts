import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { toYaml } from '@goldenpath/plugin-gitops-node';
import fs from 'fs-extra';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * `gitops:catalog:register`: registers a catalog-info.yaml of the local GitOps
 * repository as a catalog location, so the new component appears at once.
 *
 * @public
 */
export function createCatalogRegisterAction(options: {
  catalog: CatalogService;
  repositoryDir?: string;
}) {
  const { catalog, repositoryDir } = options;
  return createTemplateAction({
    id: 'gitops:catalog:register',
    description:
      'Registers a catalog-info.yaml committed to the local GitOps repository (gitops.repository.localPath) with the catalog. The catalog must allow file locations (the portal enables them only for the local repository).',
    supportsDryRun: true,
    examples: [
      {
        description:
          'Register the component committed by gitops:repository:commit',
        example: toYaml({
          steps: [
            {
              id: 'register',
              action: 'gitops:catalog:register',
              input: {
                catalogInfoPath: '${{ steps.commit.output.catalogInfoPath }}',
              },
            },
          ],
        }),
      },
    ],
    schema: {
      input: {
        catalogInfoPath: z =>
          z
            .string()
            .describe(
              'Path of the catalog-info.yaml, relative to the GitOps repository root',
            ),
      },
      output: {
        entityRef: z =>
          z.string().describe('Reference of the first entity in the file'),
        locationTarget: z =>
          z.string().describe('The registered file location'),
      },
    },
    async handler(ctx) {
      if (!repositoryDir) {
        throw new InputError(
          'gitops:catalog:register needs gitops.repository.localPath in app-config; with a remote repository use catalog:register',
        );
      }
      const root = path.resolve(repositoryDir);
      const target = path.resolve(root, ctx.input.catalogInfoPath);
      if (!target.startsWith(`${root}${path.sep}`)) {
        throw new InputError(
          `catalogInfoPath must be inside the GitOps repository, got "${ctx.input.catalogInfoPath}"`,
        );
      }
      if (!(await fs.pathExists(target))) {
        throw new InputError(
          `catalogInfoPath "${ctx.input.catalogInfoPath}" does not exist in the GitOps repository`,
        );
      }
      const [first] = parseAllDocuments(await fs.readFile(target, 'utf8'))
        .map(d => d.toJS())
        .filter(Boolean);
      if (!first?.kind || !first?.metadata?.name) {
        throw new InputError(
          `catalogInfoPath "${ctx.input.catalogInfoPath}" holds no entity`,
        );
      }
      const entityRef = stringifyEntityRef({
        kind: first.kind,
        namespace: first.metadata.namespace ?? 'default',
        name: first.metadata.name,
      });
      if (!ctx.isDryRun) {
        await catalog.addLocation(
          { type: 'file', target },
          { credentials: await ctx.getInitiatorCredentials() },
        );
        ctx.logger.info(`Registered ${target} (${entityRef})`);
      }
      ctx.output('entityRef', entityRef);
      ctx.output('locationTarget', target);
    },
  });
}
