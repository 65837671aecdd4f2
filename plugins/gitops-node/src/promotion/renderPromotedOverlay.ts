import { InputError } from '@backstage/errors';
import { formatImageRef } from '@goldenpath/plugin-gitops-common';
import fs from 'fs-extra';
import os from 'node:os';
import path from 'node:path';
import { renderKustomize } from '../generator/renderKustomize';

/** How a changed overlay rendered. @public */
export interface PromotedOverlayRender {
  rendered: boolean;
  /** Why it was not rendered (kubectl missing or validation off). */
  reason?: string;
  objectCount?: number;
}

/**
 * Renders an environment's overlay with its changed kustomization before
 * anything is written: the service folder's files go to a private temporary
 * folder, the overlay's kustomization is replaced, `kubectl kustomize` runs
 * on the overlay, and the rendered Deployment must run the new version.
 * The folder is removed whatever happens.
 *
 * @public
 */
export async function renderPromotedOverlay(options: {
  /** The service folder's files, by path relative to it. */
  files: Map<string, string | Uint8Array>;
  environment: string;
  /** The overlay's kustomization after the change. */
  kustomization: string;
  image: string;
  version: string;
  kubectl: { validate: boolean; path: string };
}): Promise<PromotedOverlayRender> {
  const { environment, kubectl } = options;
  if (!kubectl.validate) {
    return { rendered: false, reason: 'disabled by gitops.kubectl.validate' };
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-promote-'));
  try {
    const overlay = `overlays/${environment}/kustomization.yaml`;
    for (const [file, content] of options.files) {
      // Paths come from the repository reader, relative and checked; the
      // resolve keeps a hostile one inside the folder all the same.
      const target = path.resolve(dir, file);
      if (!target.startsWith(`${dir}${path.sep}`)) continue;
      await fs.outputFile(target, content, { mode: 0o644 });
    }
    await fs.outputFile(path.join(dir, overlay), options.kustomization, {
      mode: 0o644,
    });
    const result = await renderKustomize(
      path.join(dir, 'overlays', environment),
      { kubectlPath: kubectl.path },
    ).catch((e: Error) => {
      throw new InputError(
        `overlays/${environment} does not render with the new version: ${e.message}`,
      );
    });
    if (!result.rendered) return { rendered: false, reason: result.reason };

    const digest = options.version.startsWith('sha256:');
    const expected = formatImageRef({
      repository: options.image,
      ...(digest ? { digest: options.version } : { tag: options.version }),
    });
    const runs = result.objects
      .filter(o => o.kind === 'Deployment')
      .flatMap(o => o.spec?.template?.spec?.containers ?? [])
      .map((c: { image?: string }) => c.image);
    if (!runs.includes(expected)) {
      throw new InputError(
        `overlays/${environment} renders no container with ${expected} (it renders ${
          runs.join(', ') || 'no Deployment'
        })`,
      );
    }
    return { rendered: true, objectCount: result.objects.length };
  } finally {
    await fs.remove(dir);
  }
}
