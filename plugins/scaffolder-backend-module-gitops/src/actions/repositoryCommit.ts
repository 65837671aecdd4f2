import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { checkRepositoryPath } from '@goldenpath/plugin-gitops-common';
import {
  GitAuthor,
  LocalGitRepository,
  toYaml,
} from '@goldenpath/plugin-gitops-node';
import fs from 'fs-extra';

/**
 * `gitops:repository:commit`: commits a folder of the workspace into the
 * local GitOps repository (the embedded default), in one commit. A dry run
 * checks everything, creates nothing and reports what it would commit.
 *
 * @public
 */
export function createRepositoryCommitAction(options: {
  repository?: LocalGitRepository;
  config: Config;
}) {
  const { repository, config } = options;
  const defaultAuthor: GitAuthor = {
    name:
      config.getOptionalString('scaffolder.defaultAuthor.name') ?? 'Scaffolder',
    email:
      config.getOptionalString('scaffolder.defaultAuthor.email') ??
      'scaffolder@backstage.io',
  };

  return createTemplateAction({
    id: 'gitops:repository:commit',
    description:
      'Commits a service folder of the workspace into the local GitOps repository (gitops.repository.localPath), creating the repository on first use. Refuses to overwrite an existing service folder, symbolic links and .git path segments; commits only these files. A dry run creates and changes nothing. For a shared remote repository use publish:github:pull-request instead.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Commit the generated service folder',
        example: toYaml({
          steps: [
            {
              id: 'commit',
              action: 'gitops:repository:commit',
              input: {
                sourcePath: '${{ steps.manifests.output.path }}',
                commitMessage: 'Add my-ai-service',
              },
            },
          ],
        }),
      },
    ],
    schema: {
      input: {
        sourcePath: z =>
          z
            .string()
            .describe(
              'Folder of the workspace to commit, e.g. apps/my-ai-service',
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Folder in the GitOps repository; default the same as sourcePath',
            ),
        commitMessage: z =>
          z
            .string()
            .optional()
            .describe('Commit message; default "Add <targetPath>"'),
      },
      output: {
        commitHash: z =>
          z.string().describe('The new commit (empty in a dry run)'),
        path: z =>
          z
            .string()
            .describe('The folder committed, relative to the repository root'),
        files: z =>
          z
            .array(z.string())
            .describe('Files committed, relative to the repository root'),
        catalogInfoPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Path of catalog-info.yaml in the repository, when committed',
            ),
      },
    },
    async handler(ctx) {
      if (!repository) {
        throw new InputError(
          'gitops:repository:commit needs gitops.repository.localPath in app-config; for a shared remote repository use publish:github:pull-request',
        );
      }
      const { sourcePath } = ctx.input;
      let sourceDir: string;
      try {
        sourceDir = resolveSafeChildPath(ctx.workspacePath, sourcePath);
      } catch {
        throw new InputError(
          `sourcePath must resolve inside the workspace, got "${sourcePath}"`,
        );
      }
      if (
        !(await fs.pathExists(sourceDir)) ||
        !(await fs.stat(sourceDir)).isDirectory()
      ) {
        throw new InputError(
          `sourcePath "${sourcePath}" is not a folder of the workspace`,
        );
      }

      const targetPath = (ctx.input.targetPath ?? sourcePath).replace(
        /\/+$/,
        '',
      );
      const problem = checkRepositoryPath(targetPath);
      if (problem) throw new InputError(`targetPath ${problem}`);
      const profile = ctx.user?.entity?.spec?.profile;
      const author: GitAuthor = profile?.email
        ? {
            name: profile.displayName ?? ctx.user!.entity!.metadata.name,
            email: profile.email,
          }
        : defaultAuthor;

      const result = await repository.commitFolder({
        sourceDir,
        targetPath,
        message: ctx.input.commitMessage ?? `Add ${targetPath}`,
        author,
        dryRun: ctx.isDryRun,
      });
      ctx.logger.info(
        ctx.isDryRun
          ? `Would commit ${result.files.length} files to ${targetPath}`
          : `Committed ${result.files.length} files to ${targetPath} as ${result.commitHash}`,
      );
      ctx.output('commitHash', result.commitHash);
      ctx.output('path', targetPath);
      ctx.output('files', result.files);
      const catalogInfo = `${targetPath}/catalog-info.yaml`;
      if (result.files.includes(catalogInfo)) {
        ctx.output('catalogInfoPath', catalogInfo);
      }
    },
  });
}
