import {
  checkArgocdAppSelectorAnnotation,
  checkGitopsPathAnnotation,
  checkKubernetesIdAnnotation,
} from './annotationRules';

describe('checkGitopsPathAnnotation', () => {
  const check = (value: string, appsPath = 'apps') =>
    checkGitopsPathAnnotation(value, { appsPath });

  it.each(['apps/my-ai-service', 'apps/svc_1.v2', 'apps/svc/'])(
    'accepts %s',
    value => expect(check(value)).toBeUndefined(),
  );

  it('accepts a folder under a nested apps path', () => {
    expect(check('platform/apps/svc', 'platform/apps')).toBeUndefined();
  });

  it.each([
    ['', 'must not be empty'],
    ['/etc/passwd', 'must be relative to the repository root, not absolute'],
    ['C:/apps/svc', 'must be relative to the repository root, not absolute'],
    ['apps\\svc', 'must use "/" as separator'],
    [
      'apps/%2e%2e/secrets',
      'must not contain "%" (percent-encoded segments are refused)',
    ],
    ['apps//svc', 'must not contain empty segments'],
    ['apps/../secrets', 'must not contain "." or ".." segments'],
    ['apps/./svc', 'must not contain "." or ".." segments'],
    ['apps/.git', 'must not contain a ".git" segment'],
    ['apps/.GIT', 'must not contain a ".git" segment'],
    [
      'apps/svc name',
      'must consist of segments of letters, digits, ".", "_" and "-"',
    ],
    [
      'infra/secrets',
      'must name a service folder directly under "apps" (apps/<service>)',
    ],
    [
      'apps',
      'must name a service folder directly under "apps" (apps/<service>)',
    ],
    [
      'apps/svc/overlays',
      'must name a service folder directly under "apps" (apps/<service>)',
    ],
    [`apps/${'a'.repeat(260)}`, 'must be at most 255 characters'],
  ])('refuses %j: %s', (value, rule) => {
    expect(check(value)).toBe(rule);
  });
});

describe('checkArgocdAppSelectorAnnotation', () => {
  it.each([
    'app.kubernetes.io/name=svc',
    'app.kubernetes.io/name==svc',
    'app.kubernetes.io/name=svc,gitops/environment',
    'app.kubernetes.io/name = svc , !excluded, tier!=batch',
  ])('accepts %s', value => {
    expect(checkArgocdAppSelectorAnnotation(value)).toBeUndefined();
  });

  it.each([
    ['app.kubernetes.io/name', /at least one key=value equality/],
    ['gitops/environment,!excluded', /at least one key=value equality/],
    ['app.kubernetes.io/name!=svc', /at least one key=value equality/],
    ['', /must not be empty/],
    [' , ', /must not be empty/],
    ['app.kubernetes.io/name in (a,b)', /set-based/],
    ['app.kubernetes.io/name=', /label value/],
    ['app.kubernetes.io/name=a=b', /label value/],
    ['Bad Key=a', /is not a label key/],
    ['!a=b', /not a label requirement/],
  ])('refuses %j', (value, rule) => {
    expect(checkArgocdAppSelectorAnnotation(value)).toMatch(rule);
  });
});

describe('checkKubernetesIdAnnotation', () => {
  it('accepts a label value and refuses what would change the selector', () => {
    expect(checkKubernetesIdAnnotation('my-ai-service')).toBeUndefined();
    expect(checkKubernetesIdAnnotation('a,gitops/environment')).toMatch(
      /label value/,
    );
    expect(checkKubernetesIdAnnotation('')).toMatch(/label value/);
  });
});
