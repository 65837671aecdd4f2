// The placeholders of the profile's patterns (namespaces, allowed
// namespaces, Argo CD projects, secret key prefixes), in one place so
// start-up checks and generation agree on them.

/** Values a profile pattern is rendered with. @public */
export interface ProfilePatternValues {
  /** The service name. */
  name: string;
  environment: string;
  /** The owning Group or User; its name and namespace are lower-cased. */
  owner?: { name: string; namespace: string };
}

/** Placeholders a profile pattern may use. @public */
export const PROFILE_PATTERN_PLACEHOLDERS = [
  'name',
  'environment',
  'owner.name',
  'owner.namespace',
] as const;

const PLACEHOLDER = /\{\{\s*([^{}\s]*)\s*\}\}/g;

/**
 * Checks the placeholders of a profile pattern: each must be one of
 * {@link PROFILE_PATTERN_PLACEHOLDERS}, and no stray braces may remain.
 * Returns the rule broken, or undefined.
 *
 * @public
 */
export function checkProfilePattern(pattern: string): string | undefined {
  for (const [, placeholder] of pattern.matchAll(PLACEHOLDER)) {
    if (
      !(PROFILE_PATTERN_PLACEHOLDERS as readonly string[]).includes(placeholder)
    ) {
      return `has the unknown placeholder {{${placeholder}}}: use ${PROFILE_PATTERN_PLACEHOLDERS.map(
        p => `{{${p}}}`,
      ).join(', ')}`;
    }
  }
  if (/[{}]/.test(pattern.replace(PLACEHOLDER, ''))) {
    return 'has an unbalanced "{{" or "}}"';
  }
  return undefined;
}

/** Whether a pattern uses a placeholder at all. @public */
export function hasPlaceholders(pattern: string): boolean {
  return new RegExp(PLACEHOLDER.source).test(pattern);
}

/**
 * Replaces the placeholders of a checked profile pattern. An owner
 * placeholder without an owner is left empty.
 *
 * @public
 */
export function renderProfilePattern(
  pattern: string,
  values: ProfilePatternValues,
): string {
  const byName: Record<string, string> = {
    name: values.name,
    environment: values.environment,
    'owner.name': values.owner?.name.toLocaleLowerCase('en-US') ?? '',
    'owner.namespace': values.owner?.namespace.toLocaleLowerCase('en-US') ?? '',
  };
  return pattern.replace(
    PLACEHOLDER,
    (match, placeholder: string) => byName[placeholder] ?? match,
  );
}
