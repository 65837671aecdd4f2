// Name rules shared by the scaffolder form, the generator and the backend.
// Each check returns undefined when the value is fine, or the rule it breaks,
// phrased to follow the field name in an error message.

/** Kubernetes caps DNS labels (and so object names of most kinds) at 63. @public */
export const DNS_LABEL_MAX_LENGTH = 63;

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENV_VAR_NAME = /^[A-Z_][A-Z0-9_]*$/;
// Docker reference grammar: a tag is up to 128 word characters, dots, dashes.
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;
const SEMVER_TAG =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const COMMIT_SHA_TAG = /^(sha-|git-|g)?[0-9a-f]{7,40}$/;
// registry[:port]/path(/path)* with lowercase path components, no tag/digest.
const IMAGE_REPOSITORY =
  /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/**
 * DNS-1035 label: what Kubernetes requires of Service names.
 *
 * @public
 */
export function checkDns1035Label(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > DNS_LABEL_MAX_LENGTH) {
    return `must be at most ${DNS_LABEL_MAX_LENGTH} characters (DNS-1035 label), got ${value.length}`;
  }
  if (!DNS_1035_LABEL.test(value)) {
    return 'must be a DNS-1035 label: lowercase letters, digits and "-", starting with a letter and not ending with "-"';
  }
  return undefined;
}

/**
 * DNS-1123 label: what Kubernetes requires of namespace names.
 *
 * @public
 */
export function checkDns1123Label(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > DNS_LABEL_MAX_LENGTH) {
    return `must be at most ${DNS_LABEL_MAX_LENGTH} characters (DNS-1123 label), got ${value.length}`;
  }
  if (!DNS_1123_LABEL.test(value)) {
    return 'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit';
  }
  return undefined;
}

/** @public */
export function checkEnvVarName(value: string): string | undefined {
  return ENV_VAR_NAME.test(value)
    ? undefined
    : 'must match [A-Z_][A-Z0-9_]* (an upper-case environment variable name)';
}

/**
 * An image repository without tag or digest, e.g.
 * `registry.example.com/team/my-ai-service`.
 *
 * @public
 */
export function checkImageRepository(value: string): string | undefined {
  if (value.includes('@')) {
    return 'must be an image repository without a digest; digests are set per environment';
  }
  const lastSegment = value.slice(value.lastIndexOf('/') + 1);
  if (lastSegment.includes(':')) {
    return 'must be an image repository without a tag; tags are set per environment';
  }
  if (value.length > 255 || !IMAGE_REPOSITORY.test(value)) {
    return 'must be an image repository such as registry.example.com/team/service (lowercase path, no tag or digest)';
  }
  return undefined;
}

/**
 * A tag (`v1.2.3`, `latest`) or a digest (`sha256:...`).
 *
 * @public
 */
export function checkImageTagOrDigest(value: string): string | undefined {
  if (value.startsWith('sha256:')) {
    return IMAGE_DIGEST.test(value)
      ? undefined
      : 'must be a digest of the form sha256:<64 lowercase hex characters>';
  }
  return IMAGE_TAG.test(value)
    ? undefined
    : 'must be an image tag (letters, digits, "_", "." and "-", at most 128, not starting with "." or "-") or a sha256: digest';
}

/** @public */
export function isImageDigest(value: string): boolean {
  return IMAGE_DIGEST.test(value);
}

/**
 * Whether a tag names one build for good: a semantic version (`v1.2.3`), a
 * commit SHA (`4f2a9c1`, `sha-4f2a9c1`) or a digest. Anything else
 * (`latest`, `main`, `v1`, `stable`) can move and is refused where the
 * environment's tag policy is `immutable`.
 *
 * @public
 */
export function isImmutableImageRef(value: string): boolean {
  return (
    IMAGE_DIGEST.test(value) ||
    SEMVER_TAG.test(value) ||
    COMMIT_SHA_TAG.test(value)
  );
}
