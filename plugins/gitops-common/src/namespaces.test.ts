import {
  BUILTIN_RESERVED_NAMESPACES,
  checkNamespaceGlob,
  findReservedNamespace,
  matchesNamespaceGlob,
} from './namespaces';

describe('matchesNamespaceGlob', () => {
  it.each([
    ['kube-system', 'kube-*', true],
    ['kube-', 'kube-*', true],
    ['kubernetes', 'kube-*', false],
    ['default', 'default', true],
    ['defaults', 'default', false],
    ['ml-team-svc-staging', 'ml-team-*-staging', true],
    ['ml-team-svc-production', 'ml-team-*-staging', false],
    ['anything', '*', true],
  ])('%s against %s is %s', (namespace, pattern, expected) => {
    expect(matchesNamespaceGlob(namespace, pattern)).toBe(expected);
  });
});

describe('findReservedNamespace', () => {
  const reserved = [...BUILTIN_RESERVED_NAMESPACES, 'argocd', 'flux-system'];
  it.each([
    ['kube-system', 'kube-*'],
    ['kube-public', 'kube-*'],
    ['default', 'default'],
    ['argocd', 'argocd'],
    ['flux-system', 'flux-system'],
  ])('finds %s reserved by %s', (namespace, pattern) => {
    expect(findReservedNamespace(namespace, reserved)).toBe(pattern);
  });
  it.each(['my-ai-service-staging', 'argocd-apps', 'team-default'])(
    'lets %s through',
    namespace =>
      expect(findReservedNamespace(namespace, reserved)).toBeUndefined(),
  );
});

describe('checkNamespaceGlob', () => {
  it.each(['kube-*', 'default', '*-staging', 'team-*-prod'])(
    'accepts %s',
    pattern => expect(checkNamespaceGlob(pattern)).toBeUndefined(),
  );
  it.each([
    ['', /empty/],
    ['Kube-*', /lowercase/],
    ['team_a', /lowercase/],
    ['-team', /lowercase/],
    ['a'.repeat(64), /at most 63/],
  ])('refuses %j', (pattern, message) =>
    expect(checkNamespaceGlob(pattern)).toMatch(message),
  );
});
