/**
 * The URL when it is an http(s) one, else undefined: a controller's deep
 * link comes from its config or API, and Backstage's Link throws on a
 * `javascript:` URL, which would take the whole tab down with it.
 */
export function webUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}
