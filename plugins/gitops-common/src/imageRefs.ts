/**
 * A container image reference split into its parts, as the Docker reference
 * grammar reads `[registry[:port]/]path[:tag][@digest]`.
 *
 * @public
 */
export interface ImageRef {
  /** Everything before the tag and digest, e.g. `registry.example.com/team/app`. */
  repository: string;
  tag?: string;
  /** `sha256:...` */
  digest?: string;
}

/**
 * Splits an image reference. The one parser of image references: the
 * generator, the repository reader, the status join and the UI all use it,
 * so that they agree on what a registry port is and what a tag is.
 *
 * @public
 */
export function parseImageRef(ref: string): ImageRef {
  const at = ref.indexOf('@');
  const nameAndTag = at >= 0 ? ref.slice(0, at) : ref;
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  // A colon after the last slash starts a tag; one before it is a registry port.
  const colon = nameAndTag.lastIndexOf(':');
  const hasTag = colon > nameAndTag.lastIndexOf('/');
  return {
    repository: hasTag ? nameAndTag.slice(0, colon) : nameAndTag,
    ...(hasTag ? { tag: nameAndTag.slice(colon + 1) } : {}),
    ...(digest ? { digest } : {}),
  };
}

/**
 * Joins an image reference's parts again.
 *
 * @public
 */
export function formatImageRef(ref: ImageRef): string {
  return `${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${
    ref.digest ? `@${ref.digest}` : ''
  }`;
}

/**
 * The version an image reference names: its digest when it has one (that is
 * what runs), else its tag, else `latest` (what a runtime pulls for none).
 *
 * @public
 */
export function imageVersion(ref: string | ImageRef): string {
  const parsed = typeof ref === 'string' ? parseImageRef(ref) : ref;
  return parsed.digest ?? parsed.tag ?? 'latest';
}

/**
 * A version short enough for a chip: digests are cut to `sha256:` and
 * 12 hex characters (what `docker images` shows); tags are kept whole.
 *
 * @public
 */
export function shortVersion(version: string): string {
  return version.startsWith('sha256:') ? version.slice(0, 19) : version;
}
