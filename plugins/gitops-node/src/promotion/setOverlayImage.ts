import { InputError } from '@backstage/errors';
import { checkImageTagOrDigest } from '@goldenpath/plugin-gitops-common';
import { isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';

/** What {@link setOverlayImage} changed. @public */
export interface OverlayImageEdit {
  /** The kustomization with the new version; comments and order kept. */
  content: string;
  /** The tag or digest the overlay set before, if any. */
  previousVersion?: string;
}

function versionOf(entry: YAMLMap): string | undefined {
  const digest = entry.get('digest');
  const tag = entry.get('newTag');
  if (typeof digest === 'string' && digest) return digest;
  if (tag !== undefined && tag !== null && tag !== '') return String(tag);
  return undefined;
}

/**
 * Sets an image's version in a kustomization the way
 * `kustomize edit set image NAME:TAG` (or `NAME@DIGEST`) does: the entry of
 * `images` whose `name` is the image gets `newTag` or `digest` (the other one
 * removed, so a switch between them is clean), a missing entry or `images`
 * list is added, and everything else (comments, key order, other entries,
 * `newName`) stays as it was. Pure: the caller renders and writes.
 *
 * @public
 */
export function setOverlayImage(
  kustomization: string,
  image: { name: string; version: string },
): OverlayImageEdit {
  const problem = checkImageTagOrDigest(image.version);
  if (problem) throw new InputError(`version ${problem}`);

  const doc = parseDocument(kustomization);
  if (doc.errors.length > 0) {
    throw new InputError(
      `the overlay kustomization is not valid YAML: ${doc.errors[0].message}`,
    );
  }
  if (!isMap(doc.contents)) {
    throw new InputError('the overlay kustomization is not a YAML mapping');
  }

  let images = doc.get('images', true);
  if (images === undefined || images === null) {
    images = doc.createNode([]) as YAMLSeq;
    doc.set('images', images);
  }
  if (!isSeq(images)) {
    throw new InputError(
      'the overlay kustomization has `images` that is not a list',
    );
  }

  let entry = images.items.find(
    (item): item is YAMLMap => isMap(item) && item.get('name') === image.name,
  );
  const previousVersion = entry ? versionOf(entry) : undefined;
  if (!entry) {
    entry = doc.createNode({ name: image.name }) as YAMLMap;
    images.add(entry);
  }

  const digest = image.version.startsWith('sha256:');
  entry.set(digest ? 'digest' : 'newTag', image.version);
  entry.delete(digest ? 'newTag' : 'digest');

  return {
    content: doc.toString(),
    ...(previousVersion ? { previousVersion } : {}),
  };
}
