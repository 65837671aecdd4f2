import {
  databaseErrorCode,
  hasUserinfo,
  redactUrl,
  redactUrlsForLog,
  stripUrls,
  withoutUserinfo,
} from './redact';

describe('redact', () => {
  const url = 'https://user:pass@argocd.internal:8443/api/v1?token=secret#x';

  it('keeps scheme and host of a URL for logs', () => {
    expect(redactUrl(url)).toBe('https://argocd.internal:8443');
    expect(redactUrl('not a url')).toBe('[url]');
    expect(
      redactUrlsForLog(`Request failed for ${url}, 503; see ${url}.`),
    ).toBe(
      'Request failed for https://argocd.internal:8443, 503; see https://argocd.internal:8443.',
    );
  });

  it('removes URLs from what a response carries', () => {
    expect(stripUrls(`GET ${url} failed`)).toBe('GET [url] failed');
  });

  it('builds request URLs without userinfo, query or fragment', () => {
    expect(hasUserinfo(url)).toBe(true);
    expect(hasUserinfo('https://argocd.internal')).toBe(false);
    expect(withoutUserinfo(url)).toBe('https://argocd.internal:8443/api/v1');
    expect(withoutUserinfo('http://127.0.0.1:9/')).toBe('http://127.0.0.1:9');
  });

  it('names a database failure by its code only', () => {
    expect(
      databaseErrorCode(
        Object.assign(new Error('connect ECONNREFUSED db.internal:5432'), {
          code: 'ECONNREFUSED',
        }),
      ),
    ).toBe('ECONNREFUSED');
    expect(databaseErrorCode(new TypeError('password for "admin"'))).toBe(
      'TypeError',
    );
    expect(databaseErrorCode({ code: 'x y z; drop table' })).toBe(
      'unknown error',
    );
  });
});
