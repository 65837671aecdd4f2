import {
  DesiredImage,
  GitopsController,
  checkRepositoryPath,
  parseImageRef,
} from '@goldenpath/plugin-gitops-common';
import { InputError } from '@backstage/errors';
import { parse } from 'yaml';
import type { DesiredEnvironment, DesiredServiceState } from './types';

/** The files of a service folder, by path relative to it. */
export type ServiceFolderFiles = Map<string, string>;

const OVERLAY_KUSTOMIZATION = /^overlays\/([^/]+)\/kustomization\.ya?ml$/;

function baseImage(files: ServiceFolderFiles): string | undefined {
  for (const [path, content] of files) {
    if (!path.startsWith('base/') || path.includes('kustomization')) continue;
    // Only a Deployment names the image; parsing is the index's main cost.
    if (!content.includes('Deployment')) continue;
    try {
      const doc = parse(content);
      const image = doc?.spec?.template?.spec?.containers?.[0]?.image;
      if (doc?.kind === 'Deployment' && typeof image === 'string') {
        return parseImageRef(image).repository;
      }
    } catch {
      // Not a manifest this reader understands; the overlay still tells the tag.
    }
  }
  return undefined;
}

function controllerOf(
  files: ServiceFolderFiles,
  env: string,
): GitopsController {
  const has = (dir: string) =>
    files.has(`${dir}/${env}.yaml`) || files.has(`${dir}/${env}.yml`);
  if (has('argocd')) return 'argocd';
  if (has('flux')) return 'flux';
  return 'none';
}

/**
 * Reads the desired state of a service from its folder: per overlay, the
 * namespace and the image tag or digest of the service's image. Pure.
 *
 * @public
 */
export function parseServiceFolder(
  path: string,
  files: ServiceFolderFiles,
): DesiredServiceState {
  const image = baseImage(files);
  const environments: DesiredEnvironment[] = [];
  for (const [file, content] of [...files].sort(([a], [b]) =>
    a < b ? -1 : 1,
  )) {
    const match = OVERLAY_KUSTOMIZATION.exec(file);
    if (!match) continue;
    const name = match[1];
    const controller = controllerOf(files, name);
    try {
      const k = parse(content) ?? {};
      const images: Array<Record<string, string>> = Array.isArray(k.images)
        ? k.images
        : [];
      const entry =
        images.find(i => i.name === image) ?? (image ? undefined : images[0]);
      environments.push({
        name,
        controller,
        namespace: typeof k.namespace === 'string' ? k.namespace : undefined,
        desired: desiredImage(entry, image),
      });
    } catch (e) {
      environments.push({
        name,
        controller,
        error: `${file} is not valid YAML: ${(e as Error).message}`,
      });
    }
  }
  return { path, environments };
}

function desiredImage(
  entry: Record<string, string> | undefined,
  baseImageName: string | undefined,
): DesiredImage | undefined {
  if (!entry) return baseImageName ? { image: baseImageName } : undefined;
  return {
    image: entry.newName ?? entry.name,
    ...(entry.newTag ? { tag: String(entry.newTag) } : {}),
    ...(entry.digest ? { digest: entry.digest } : {}),
  };
}

/** Checks an entity's gitops/path before it is used to read anything. */
export function assertServicePath(path: string) {
  const problem = checkRepositoryPath(path);
  if (problem) throw new InputError(`gitops/path ${problem}`);
}
