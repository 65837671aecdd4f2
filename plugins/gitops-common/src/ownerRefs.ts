import {
  CompoundEntityRef,
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

// What may own a service: a Group or a User, as the catalog's ownership
// model allows. The kind defaults to group, as the OwnerPicker writes it.

const validator = makeValidator();

/** Kinds an owner may have, lower case. @public */
export const OWNER_KINDS: readonly string[] = ['group', 'user'];

/**
 * Parses an owner reference (`ml-team`, `group:ml-team`,
 * `user:default/ada`). Returns the reference with its kind in lower case, or
 * the rule it breaks, phrased to follow the field name.
 *
 * @public
 */
export function parseOwnerRef(
  value: string,
): { ref: CompoundEntityRef; problem?: undefined } | { problem: string } {
  const example = 'such as group:default/ml-team or user:default/ada';
  let ref: CompoundEntityRef;
  try {
    ref = parseEntityRef(value, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
  } catch {
    return { problem: `must be an entity reference ${example}` };
  }
  if (
    !validator.isValidKind(ref.kind) ||
    !validator.isValidNamespace(ref.namespace) ||
    !validator.isValidEntityName(ref.name)
  ) {
    return {
      problem: `must be an entity reference ${example}: a name of letters, digits, "-", "_" and "." (at most 63)`,
    };
  }
  const kind = ref.kind.toLocaleLowerCase('en-US');
  if (!OWNER_KINDS.includes(kind)) {
    return {
      problem: `must be a Group or a User, not a ${ref.kind} (${example})`,
    };
  }
  return { ref: { ...ref, kind } };
}

/**
 * The full reference of a valid owner, e.g. `group:default/ml-team` for
 * `ml-team`; throws on an invalid one.
 *
 * @public
 */
export function normalizeOwnerRef(value: string): string {
  const parsed = parseOwnerRef(value);
  if (parsed.problem !== undefined) {
    throw new Error(`owner ${parsed.problem}`);
  }
  return stringifyEntityRef(parsed.ref);
}
