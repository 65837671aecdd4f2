import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { checkRepositoryPath } from '@goldenpath/plugin-gitops-common';
import {
  GitAuthor,
  LocalGitRepository,
  toYaml,
} from '@goldenpath/plugin-gitops-node';
import fs from 'fs-extra';

/** The folder that holds every path, e.g. `apps/a` for two of its files. */
function commonFolder(paths: string[]): string {
  const [first, ...rest] = paths.map(p => p.split('/').slice(0, -1));
  const differs = first.findIndex((segment, i) =>
    rest.some(other => other[i] !== segment),
  );
  return (differs < 0 ? first : first.slice(0, differs)).join('/');
}

/**
 * `gitops:repository:commit`: commits a new folder of the workspace
 * (`sourcePath`), or changed files of existing folders (`files`, e.g. a
 * promotion's overlay), into the local GitOps repository (the embedded
 * default), in one commit. A dry run checks everything, creates nothing and
 * reports what it would commit.
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
      'Commits a new service folder of the workspace (sourcePath), or changed files at their repository paths (files, e.g. the overlay gitops:environment:promote wrote), into the local GitOps repository (gitops.repository.localPath), creating the repository on first use. Refuses to overwrite an existing service folder, a file that changed since it was read (expectedBlob), symbolic links and .git path segments; commits only these files. A dry run creates and changes nothing. For a shared remote repository use publish:github:pull-request instead.',
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
      {
        description:
          'Commit the overlay a promotion changed, unless it changed since the promotion read it',
        example: toYaml({
          steps: [
            {
              id: 'commit',
              action: 'gitops:repository:commit',
              input: {
                files: [
                  {
                    path: '${{ steps.promote.output.path }}',
                    expectedBlob: '${{ steps.promote.output.expectedBlob }}',
                  },
                ],
                commitMessage: '${{ steps.promote.output.commitMessage }}',
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
            .optional()
            .describe(
              'Folder of the workspace to commit as a new folder, e.g. apps/my-ai-service (or give files)',
            ),
        files: z =>
          z
            .array(
              z
                .object({
                  path: z
                    .string()
                    .describe(
                      'A file of the workspace, committed at the same path of the repository',
                    ),
                  expectedBlob: z
                    .string()
                    .optional()
                    .describe(
                      "The file's blob id when it was read; the commit is refused if the branch has another one by now",
                    ),
                })
                .strict(),
            )
            .optional()
            .describe(
              'Files of the workspace to add or update at their repository paths (or give sourcePath); only these are committed',
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
            .describe(
              'Commit message; default "Add <targetPath>" or "Update <files>"',
            ),
      },
      output: {
        commitHash: z =>
          z.string().describe('The new commit (empty in a dry run)'),
        path: z =>
          z
            .string()
            .describe(
              'The folder committed (with files: the folder that holds them), relative to the repository root',
            ),
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
      const { sourcePath, files } = ctx.input;
      const profile = ctx.user?.entity?.spec?.profile;
      const author: GitAuthor = profile?.email
        ? {
            name: profile.displayName ?? ctx.user!.entity!.metadata.name,
            email: profile.email,
          }
        : defaultAuthor;

      if (files !== undefined) {
        if (sourcePath !== undefined) {
          throw new InputError(
            'sourcePath and files exclude each other: give a new folder or changed files',
          );
        }
        if (files.length === 0) {
          throw new InputError('files must list at least one file');
        }
        const changes = [];
        const expectedBlobs: Record<string, string> = {};
        for (const [i, file] of files.entries()) {
          const field = `files[${i}].path`;
          const problem = checkRepositoryPath(file.path);
          if (problem) throw new InputError(`${field} ${problem}`);
          let inWorkspace: string;
          try {
            inWorkspace = resolveSafeChildPath(ctx.workspacePath, file.path);
          } catch {
            throw new InputError(
              `${field} must resolve inside the workspace, got "${file.path}"`,
            );
          }
          const stat = await fs.lstat(inWorkspace).catch(() => undefined);
          if (!stat?.isFile()) {
            throw new InputError(
              `${field} "${file.path}" is not a file of the workspace`,
            );
          }
          changes.push({
            path: file.path,
            content: await fs.readFile(inWorkspace),
          });
          if (file.expectedBlob) expectedBlobs[file.path] = file.expectedBlob;
        }
        const paths = changes.map(c => c.path);
        let result;
        try {
          result = await repository.commitFiles({
            files: changes,
            message: ctx.input.commitMessage ?? `Update ${paths.join(', ')}`,
            author,
            expectedBlobs,
            dryRun: ctx.isDryRun,
          });
        } catch (e) {
          if (
            e instanceof ConflictError &&
            /changed in the GitOps/.test(e.message)
          ) {
            // Never overwrite: the run that wrote these files read an older
            // state; running it again re-reads and re-checks.
            throw new ConflictError(
              `${e.message}. Nothing was committed; run the template again to re-read and re-check`,
            );
          }
          throw e;
        }
        ctx.logger.info(
          ctx.isDryRun
            ? `Would commit ${paths.join(', ')}`
            : `Committed ${paths.join(', ')} as ${result.commitHash}`,
        );
        ctx.output('commitHash', result.commitHash);
        ctx.output('path', commonFolder(result.files));
        ctx.output('files', result.files);
        return;
      }

      if (sourcePath === undefined) {
        throw new InputError(
          'sourcePath (a new folder) or files (changed files) is required',
        );
      }
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
