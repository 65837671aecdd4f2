import { ConflictError, InputError } from '@backstage/errors';
import { formatImageRef } from '@goldenpath/plugin-gitops-common';
import fs from 'fs-extra';
import os from 'node:os';
import path from 'node:path';
import { renderKustomize } from './renderKustomize';
import type { GeneratedService } from './types';
import { validateObjects } from './validateObjects';

/** How one overlay rendered. @public */
export interface OverlayRender {
  environment: string;
  rendered: boolean;
  /** Objects kustomize produced, or why it did not run. */
  objectCount?: number;
  reason?: string;
}

/** A generated tree written to a private folder and checked. @public */
export interface StagedServiceTree {
  dir: string;
  renders: OverlayRender[];
  /** Removes the staging folder; safe to call twice. */
  cleanup(): Promise<void>;
}

/**
 * Writes the generated files into a private temporary folder, validates every
 * object against its schema, and renders every overlay with
 * `kubectl kustomize` (when enabled and installed). Nothing outside the
 * temporary folder is touched; on any failure it is removed and the error
 * says what failed.
 *
 * @public
 */
export async function stageServiceTree(
  generated: GeneratedService,
  options: { kubectl: { validate: boolean; path: string } },
): Promise<StagedServiceTree> {
  const problems = await validateObjects(generated.objects);
  if (problems.length > 0) {
    throw new InputError(
      `Generated manifests are invalid:\n${problems.join('\n')}`,
    );
  }

  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-service-'));
  const cleanup = () => fs.remove(dir);
  try {
    for (const file of generated.files) {
      const target = path.join(dir, file.path);
      await fs.outputFile(target, file.content, { mode: 0o644 });
    }

    const renders: OverlayRender[] = [];
    for (const env of generated.service.environments) {
      if (!options.kubectl.validate) {
        renders.push({
          environment: env.name,
          rendered: false,
          reason: 'disabled by gitops.kubectl.validate',
        });
        continue;
      }
      const result = await renderKustomize(
        path.join(dir, 'overlays', env.name),
        {
          kubectlPath: options.kubectl.path,
        },
      ).catch((e: Error) => {
        throw new InputError(
          `overlays/${env.name} does not render: ${e.message}`,
        );
      });
      if (!result.rendered) {
        renders.push({
          environment: env.name,
          rendered: false,
          reason: result.reason,
        });
        continue;
      }
      checkRendered(result.objects, generated, env.name);
      renders.push({
        environment: env.name,
        rendered: true,
        objectCount: result.objects.length,
      });
    }
    return { dir, renders, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

// What must hold of every rendered overlay, whatever the profile says.
function checkRendered(
  objects: Array<Record<string, any>>,
  generated: GeneratedService,
  envName: string,
) {
  const { service } = generated;
  const env = service.environments.find(e => e.name === envName)!;
  const fail = (rule: string): never => {
    throw new InputError(`overlays/${envName} renders wrongly: ${rule}`);
  };
  if (objects.some(o => o.kind === 'Secret')) {
    fail('it contains a kind: Secret; secrets must come from ExternalSecrets');
  }
  const deployment =
    objects.find(o => o.kind === 'Deployment') ?? fail('it has no Deployment');
  if (deployment.metadata?.namespace !== env.namespace) {
    fail(
      `the Deployment is in namespace ${deployment.metadata?.namespace}, not ${env.namespace}`,
    );
  }
  const image = deployment.spec?.template?.spec?.containers?.[0]?.image;
  const expected = formatImageRef(
    env.digest
      ? { repository: service.image, digest: env.digest }
      : { repository: service.image, tag: env.tag },
  );
  if (image !== expected) fail(`the image is ${image}, not ${expected}`);
  if (deployment.spec?.replicas !== env.replicas) {
    fail(
      `the Deployment has ${deployment.spec?.replicas} replicas, not ${env.replicas}`,
    );
  }
}

/**
 * Moves a staged tree to its final place. An existing target is a
 * ConflictError unless `overwrite` is set, in which case it is replaced
 * whole (files of an earlier generation do not linger).
 *
 * @public
 */
export async function publishServiceTree(
  staged: StagedServiceTree,
  target: string,
  options: { overwrite: boolean },
): Promise<void> {
  if (await fs.pathExists(target)) {
    if (!options.overwrite) {
      throw new ConflictError(
        `${target} already exists; set overwrite to replace it`,
      );
    }
    await fs.remove(target);
  }
  await fs.move(staged.dir, target);
}
