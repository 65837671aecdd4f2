// Rules for keys of the external secret store that a template may name.
// A key is appended to the prefix the profile confines the service to, so
// it must not be able to climb out of it.

// C0 and C1 control characters, and DEL.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const WHITESPACE = /\s/;

/** Longest key or property accepted. @public */
export const SECRET_KEY_MAX_LENGTH = 512;

/**
 * Checks a `remoteKey` of a template: a path relative to the service's
 * prefix in the secret store, e.g. `DATABASE_URL` or `db/password`. Refuses
 * a leading `/`, `.` and `..` segments, empty segments, backslashes,
 * whitespace and control characters.
 *
 * @public
 */
export function checkSecretRemoteKey(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > SECRET_KEY_MAX_LENGTH) {
    return `must be at most ${SECRET_KEY_MAX_LENGTH} characters`;
  }
  if (CONTROL.test(value)) return 'must not contain control characters';
  if (WHITESPACE.test(value)) return 'must not contain whitespace';
  if (value.startsWith('/')) {
    return 'must be relative to the service\'s prefix in the secret store: no leading "/"';
  }
  if (value.includes('\\')) return 'must use "/" as separator, not "\\"';
  const segments = value.split('/');
  if (segments.some(s => s === '.' || s === '..')) {
    return 'must not contain "." or ".." segments: a service reads only keys under its own prefix';
  }
  if (segments.some(s => s === '')) {
    return 'must not contain empty segments ("//" or a trailing "/")';
  }
  return undefined;
}

/**
 * Checks a `property` within a remote secret: no whitespace or control
 * characters.
 *
 * @public
 */
export function checkSecretProperty(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > SECRET_KEY_MAX_LENGTH) {
    return `must be at most ${SECRET_KEY_MAX_LENGTH} characters`;
  }
  if (CONTROL.test(value)) return 'must not contain control characters';
  if (WHITESPACE.test(value)) return 'must not contain whitespace';
  return undefined;
}

/**
 * Checks a key prefix of the platform profile (`staging/`,
 * `/prod/`): a leading `/` is allowed, as some stores (AWS Parameter Store)
 * need it, but not `.`/`..` segments, whitespace or control characters.
 *
 * @public
 */
export function checkSecretKeyPrefix(value: string): string | undefined {
  if (value === '') return undefined;
  if (CONTROL.test(value)) return 'must not contain control characters';
  if (WHITESPACE.test(value)) return 'must not contain whitespace';
  if (value.split('/').some(s => s === '.' || s === '..')) {
    return 'must not contain "." or ".." segments';
  }
  return undefined;
}
