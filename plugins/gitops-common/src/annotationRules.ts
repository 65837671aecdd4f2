// Bounds of the annotations the status backend acts on. An annotation is
// written by whoever can edit a catalog-info.yaml, so each value is checked
// before it reaches a Git read or a label match. Each check returns undefined
// when the value is fine, or the rule it breaks, phrased to follow the
// annotation name in a message.

const PATH_SEGMENT = /^[A-Za-z0-9._-]+$/;
const MAX_PATH_LENGTH = 255;
// Kubernetes label syntax: an optional DNS-subdomain prefix, then a name.
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const LABEL_PREFIX =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;

/**
 * Checks a `gitops/path` value: a relative path of `[A-Za-z0-9._-]`
 * segments naming a service folder directly under `appsPath`
 * (`<appsPath>/<service>`), without `.`, `..`, `.git`, `%`, empty or
 * absolute segments. A trailing `/` is allowed.
 *
 * @public
 */
export function checkGitopsPathAnnotation(
  value: string,
  options: { appsPath: string },
): string | undefined {
  const path = value.replace(/\/+$/, '');
  if (path.length === 0) return 'must not be empty';
  if (path.length > MAX_PATH_LENGTH) {
    return `must be at most ${MAX_PATH_LENGTH} characters`;
  }
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) {
    return 'must be relative to the repository root, not absolute';
  }
  if (path.includes('\\')) return 'must use "/" as separator';
  if (path.includes('%')) {
    return 'must not contain "%" (percent-encoded segments are refused)';
  }
  const segments = path.split('/');
  if (segments.some(s => s === '')) return 'must not contain empty segments';
  if (segments.some(s => s === '.' || s === '..')) {
    return 'must not contain "." or ".." segments';
  }
  if (segments.some(s => s.toLowerCase() === '.git')) {
    return 'must not contain a ".git" segment';
  }
  if (segments.some(s => !PATH_SEGMENT.test(s))) {
    return 'must consist of segments of letters, digits, ".", "_" and "-"';
  }
  const apps = options.appsPath.replace(/\/+$/, '');
  const appsSegments = apps.split('/');
  if (
    segments.length !== appsSegments.length + 1 ||
    appsSegments.some((s, i) => segments[i] !== s)
  ) {
    return `must name a service folder directly under "${apps}" (${apps}/<service>)`;
  }
  return undefined;
}

/** A label key: `[prefix/]name`. @public */
export function checkLabelKey(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (
    !LABEL_NAME.test(name) ||
    (prefix !== undefined &&
      (prefix.length > 253 || !LABEL_PREFIX.test(prefix)))
  ) {
    return `"${key}" is not a label key`;
  }
  return undefined;
}

/**
 * A label value usable in an equality: at most 63 letters, digits, `-`, `_`
 * and `.`, starting and ending with a letter or digit. Empty is refused
 * here, as an empty value would match objects that lack a name.
 *
 * @public
 */
export function checkLabelValue(value: string): string | undefined {
  return LABEL_VALUE.test(value)
    ? undefined
    : 'must be a label value: at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
}

/**
 * Checks an `argocd/app-selector` value: equality- and existence-based
 * requirements (`a=b,c!=d,e,!f`) of which at least one is a `key=value`
 * equality, so the selector names the entity's own Applications rather than
 * every Application carrying a label.
 *
 * @public
 */
export function checkArgocdAppSelectorAnnotation(
  value: string,
): string | undefined {
  const parts = value
    .split(',')
    .map(p => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return 'must not be empty';
  let equalities = 0;
  for (const part of parts) {
    if (/\s(in|notin)\s*\(/.test(part) || /[()]/.test(part)) {
      return `must not use set-based requirements ("${part}")`;
    }
    const match = /^(!?)([^=!]+?)\s*(?:(!=|==|=)\s*(.*))?$/.exec(part);
    if (!match)
      return `has a requirement that is not a label requirement ("${part}")`;
    const [, not, key, op, operand] = match;
    const keyProblem = checkLabelKey(key);
    if (keyProblem) return `has a requirement whose ${keyProblem}`;
    if (op && not) {
      return `has a requirement that is not a label requirement ("${part}")`;
    }
    if (op) {
      const valueProblem = checkLabelValue(operand);
      if (valueProblem) return `has a value in "${part}" that ${valueProblem}`;
      if (op !== '!=') equalities++;
    }
  }
  if (equalities === 0) {
    return "must hold at least one key=value equality (e.g. app.kubernetes.io/name=my-service); a selector of existence or inequality requirements only would match other services' Applications";
  }
  return undefined;
}

/**
 * Checks a `backstage.io/kubernetes-id` value, which becomes the value of an
 * `app.kubernetes.io/name=<id>` selector.
 *
 * @public
 */
export function checkKubernetesIdAnnotation(value: string): string | undefined {
  return checkLabelValue(value);
}
