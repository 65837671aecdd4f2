// What of an upstream's address or failure may leave the backend. Log lines
// keep scheme and host (an operator must know which instance failed) but
// never userinfo, path or query; responses keep neither.

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;

/** `https://user:pass@host:8443/path?token=x` → `https://host:8443`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '[url]';
  }
}

// Punctuation ending a sentence is not part of the URL before it.
const replaceUrls = (text: string, by: (url: string) => string) =>
  text.replace(URL_IN_TEXT, match => {
    const [, url, tail] = /^(.*?)([,.;:)]*)$/.exec(match)!;
    return `${by(url)}${tail}`;
  });

/** Every URL in a text as scheme and host only: for log lines. */
export function redactUrlsForLog(text: string): string {
  return replaceUrls(text, redactUrl);
}

/** Every URL in a text removed: for messages a response carries. */
export function stripUrls(text: string): string {
  return replaceUrls(text, () => '[url]');
}

/** Whether a URL carries a user name or password. */
export function hasUserinfo(url: string): boolean {
  try {
    const parsed = new URL(url);
    return Boolean(parsed.username || parsed.password);
  } catch {
    return false;
  }
}

/**
 * The base URL of an API without user name, password, query and fragment,
 * and without a trailing `/`: what requests are built on.
 */
export function withoutUserinfo(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
  } catch {
    return url;
  }
}

/**
 * A database failure as a short code (`ECONNREFUSED`, `57P01`,
 * `SQLITE_BUSY`...), never its message: drivers put host names, user names
 * and SQL in theirs.
 */
export function databaseErrorCode(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string' && /^[A-Za-z0-9_]{1,40}$/.test(code)) {
    return code;
  }
  const name = (e as Error)?.name;
  return typeof name === 'string' && /^[A-Za-z]{1,40}$/.test(name)
    ? name
    : 'unknown error';
}

/**
 * An upstream failure: `message` is fit for a response (no address), and
 * `detail`, the underlying message, is for the log once redacted.
 */
export class UpstreamError extends Error {
  constructor(message: string, readonly detail?: string) {
    super(message);
    this.name = 'UpstreamError';
  }
}
