import type { AuthService } from '@backstage/backend-plugin-api';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { LocalGitRepository, toYaml } from '@goldenpath/plugin-gitops-node';
import fs from 'fs-extra';
import { parseAllDocuments } from 'yaml';

/** How long the embedded mode waits for the catalog to pick the entity up. */
export interface CatalogWaitOptions {
  timeoutMs: number;
  intervalMs: number;
}

const DEFAULT_WAIT: CatalogWaitOptions = { timeoutMs: 30_000, intervalMs: 500 };

/** The first entity of a catalog-info.yaml, or an InputError naming the path. */
function firstEntityRef(yaml: string, catalogInfoPath: string): string {
  const [first] = parseAllDocuments(yaml)
    .map(d => d.toJS() as Partial<Entity> | null)
    .filter(Boolean);
  if (!first?.kind || !first?.metadata?.name) {
    throw new InputError(
      `catalogInfoPath "${catalogInfoPath}" holds no entity`,
    );
  }
  return stringifyEntityRef({
    kind: first.kind,
    namespace: first.metadata.namespace ?? 'default',
    name: first.metadata.name,
  });
}

/** Browse URL of a file of the repository, in the form the integrations read. */
export function catalogInfoUrlFor(
  repositoryUrl: string,
  branch: string,
  filePath: string,
): string {
  const base = repositoryUrl.replace(/\.git$/, '').replace(/\/+$/, '');
  return `${base}/blob/${encodeURIComponent(branch)}/${filePath}`;
}

/** `<appsPath>/<service>/catalog-info.yaml`, the only files the action registers. */
function checkServiceCatalogPath(catalogInfoPath: string, appsPath: string) {
  const rest = catalogInfoPath.startsWith(`${appsPath}/`)
    ? catalogInfoPath.slice(appsPath.length + 1).split('/')
    : [];
  const [service, file] = rest;
  if (
    rest.length !== 2 ||
    !service ||
    service.startsWith('.') ||
    file !== 'catalog-info.yaml'
  ) {
    throw new InputError(
      `catalogInfoPath must be ${appsPath}/<service>/catalog-info.yaml, got "${catalogInfoPath}"`,
    );
  }
}

/**
 * `gitops:catalog:register`: makes sure the component of a catalog-info.yaml
 * of the GitOps repository reaches the catalog.
 *
 * - Embedded (`gitops.repository.localPath`): the portal's entity provider
 *   reads every committed `<appsPath>/<service>/catalog-info.yaml`, so the
 *   action registers no location: it checks that the file is committed on
 *   the branch and waits (bounded) until the catalog has the entity.
 * - Remote (`gitops.repository.url` without a local path): adds a `url`
 *   location for the file on the branch with the scaffolder's own
 *   credentials, limited to `<appsPath>/<service>/catalog-info.yaml`.
 *
 * @public
 */
export function createCatalogRegisterAction(options: {
  catalog: CatalogService;
  /** The local GitOps repository (embedded mode). */
  repositoryDir?: string;
  /** Branch the provider reads; default `main`. */
  branch?: string;
  /** Remote repository URL: the `url` mode without `repositoryDir`. */
  repositoryUrl?: string;
  /** Folder of the service folders; default `apps`. */
  appsPath?: string;
  /** Needed for the `url` mode, which registers with the scaffolder's credentials. */
  auth?: AuthService;
  wait?: CatalogWaitOptions;
}) {
  const {
    catalog,
    repositoryDir,
    repositoryUrl,
    auth,
    branch = 'main',
    appsPath = 'apps',
    wait = DEFAULT_WAIT,
  } = options;
  // Reads go through the one git layer (real paths checked, no .git segments).
  const repository = repositoryDir
    ? new LocalGitRepository(repositoryDir, { branch })
    : undefined;
  return createTemplateAction({
    id: 'gitops:catalog:register',
    description:
      'Makes sure a catalog-info.yaml of the GitOps repository reaches the catalog. With a local repository (gitops.repository.localPath) the file must be committed; the portal reads it with an entity provider and the action waits for the entity. With a remote repository it adds a url location for the file on the branch.',
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
          z
            .string()
            .describe(
              'Where the catalog reads the entity from: the file in the local repository, or its URL',
            ),
        catalogInfoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'URL of the file on the branch, when gitops.repository.url is set',
            ),
      },
    },
    async handler(ctx) {
      const { catalogInfoPath } = ctx.input;
      const url = repositoryUrl
        ? catalogInfoUrlFor(repositoryUrl, branch, catalogInfoPath)
        : undefined;

      if (!repository) {
        if (!url || !auth) {
          throw new InputError(
            'gitops:catalog:register needs gitops.repository.localPath or gitops.repository.url in app-config',
          );
        }
        checkServiceCatalogPath(catalogInfoPath, appsPath);
        // The file is not on the branch until the change is merged: the
        // entity is read from the workspace the template generated it in.
        const inWorkspace = resolveSafeChildPath(
          ctx.workspacePath,
          catalogInfoPath,
        );
        if (!(await fs.pathExists(inWorkspace))) {
          throw new InputError(
            `catalogInfoPath "${catalogInfoPath}" does not exist in the workspace`,
          );
        }
        const entityRef = firstEntityRef(
          await fs.readFile(inWorkspace, 'utf8'),
          catalogInfoPath,
        );
        if (!ctx.isDryRun) {
          // Own credentials: users need not hold catalog.location.create, and
          // the target is pinned to a service folder of the GitOps repository.
          await catalog.addLocation(
            { type: 'url', target: url },
            { credentials: await auth.getOwnServiceCredentials() },
          );
          ctx.logger.info(`Registered ${url} (${entityRef})`);
        }
        ctx.output('entityRef', entityRef);
        ctx.output('locationTarget', url);
        ctx.output('catalogInfoUrl', url);
        return;
      }

      let target: string;
      try {
        target = resolveSafeChildPath(repository.dir, catalogInfoPath);
      } catch {
        throw new InputError(
          `catalogInfoPath must be inside the GitOps repository, got "${catalogInfoPath}"`,
        );
      }
      const committed = await repository.readCommittedFile(catalogInfoPath);
      let content: string;
      if (committed) {
        content = Buffer.from(committed.content).toString('utf8');
      } else if (ctx.isDryRun) {
        // A dry run committed nothing: the file the template generated is
        // in the workspace, which is what the template editor shows.
        const inWorkspace = resolveSafeChildPath(
          ctx.workspacePath,
          catalogInfoPath,
        );
        if (!(await fs.pathExists(inWorkspace))) {
          throw new InputError(
            `catalogInfoPath "${catalogInfoPath}" is neither committed nor in the workspace`,
          );
        }
        content = await fs.readFile(inWorkspace, 'utf8');
      } else {
        throw new InputError(
          `catalogInfoPath "${catalogInfoPath}" does not exist in the GitOps repository on branch ${branch}: commit it first (gitops:repository:commit)`,
        );
      }
      const entityRef = firstEntityRef(content, catalogInfoPath);

      if (!ctx.isDryRun) {
        const credentials = await ctx.getInitiatorCredentials();
        const deadline = Date.now() + wait.timeoutMs;
        let found = false;
        for (;;) {
          found = Boolean(
            await catalog.getEntityByRef(entityRef, { credentials }),
          );
          if (found || Date.now() >= deadline) break;
          await new Promise(r => setTimeout(r, wait.intervalMs));
        }
        if (found) {
          ctx.logger.info(`${entityRef} is in the catalog`);
        } else {
          // Committed is what matters: the provider's next run adds it.
          ctx.logger.warn(
            `${entityRef} is committed but not in the catalog yet; it appears with the catalog provider's next run`,
          );
        }
      }
      ctx.output('entityRef', entityRef);
      ctx.output('locationTarget', target);
      if (url) ctx.output('catalogInfoUrl', url);
    },
  });
}
