// Namespace rules of the golden path: which namespaces a service may never
// be deployed into, and how the profile's namespace patterns match.

/**
 * Namespaces no service may use, whatever the profile says: Kubernetes
 * reserves the `kube-` prefix for its own namespaces, and `default` is where
 * objects land by accident.
 *
 * @public
 */
export const BUILTIN_RESERVED_NAMESPACES: readonly string[] = [
  'kube-*',
  'default',
];

const NAMESPACE_GLOB = /^[a-z0-9*]([-a-z0-9*]*[a-z0-9*])?$/;

/**
 * Checks a namespace glob of the profile (`kube-*`, `ml-team-*`): DNS-1123
 * characters and `*`, which stands for any run of them.
 *
 * @public
 */
export function checkNamespaceGlob(pattern: string): string | undefined {
  if (pattern.length === 0) return 'must not be empty';
  if (pattern.length > 63) return 'must be at most 63 characters';
  if (!NAMESPACE_GLOB.test(pattern)) {
    return 'must be a namespace or a namespace pattern: lowercase letters, digits, "-" and "*" (any characters)';
  }
  return undefined;
}

/**
 * Whether a namespace matches a glob where `*` stands for any run of
 * characters (including none) and everything else is literal.
 *
 * @public
 */
export function matchesNamespaceGlob(
  namespace: string,
  pattern: string,
): boolean {
  const source = pattern
    .split('*')
    .map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(namespace);
}

/**
 * The first reserved pattern a namespace matches, or undefined when it may
 * be used.
 *
 * @public
 */
export function findReservedNamespace(
  namespace: string,
  reserved: readonly string[],
): string | undefined {
  return reserved.find(pattern => matchesNamespaceGlob(namespace, pattern));
}
