import { normalizeOwnerRef, parseOwnerRef } from './ownerRefs';

describe('parseOwnerRef', () => {
  it.each([
    ['ml-team', 'group:default/ml-team'],
    ['group:ml-team', 'group:default/ml-team'],
    ['Group:default/ml-team', 'group:default/ml-team'],
    ['user:default/ada', 'user:default/ada'],
    ['group:platform/ml_team.eu', 'group:platform/ml_team.eu'],
  ])('accepts %s as %s', (value, expected) => {
    expect(parseOwnerRef(value).problem).toBeUndefined();
    expect(normalizeOwnerRef(value)).toBe(expected);
  });

  it.each([
    ['not a ref!!', /must be an entity reference/],
    ['group:', /must be an entity reference/],
    ['group:default/', /must be an entity reference/],
    ['a'.repeat(64), /must be an entity reference/],
    [
      'component:default/some-service',
      /must be a Group or a User, not a component/,
    ],
    ['system:ai-platform', /must be a Group or a User, not a system/],
  ])('refuses %j', (value, message) => {
    expect(parseOwnerRef(value).problem).toMatch(message);
    expect(() => normalizeOwnerRef(value)).toThrow(/^owner /);
  });
});
