import {
  checkSecretKeyPrefix,
  checkSecretProperty,
  checkSecretRemoteKey,
} from './secretKeys';

describe('checkSecretRemoteKey', () => {
  it.each(['DATABASE_URL', 'db/password', 'api-key.v2', 'a'.repeat(512)])(
    'accepts %s',
    key => expect(checkSecretRemoteKey(key)).toBeUndefined(),
  );
  it.each([
    ['', /empty/],
    ['../payments/db-password', /"\." or "\.\." segments/],
    ['db/../../payments/db', /"\." or "\.\." segments/],
    ['./db', /"\." or "\.\." segments/],
    ['..', /"\." or "\.\." segments/],
    ['/payments/db-password', /no leading "\/"/],
    ['db password', /whitespace/],
    ['db\tpassword', /control characters/],
    ['db\npassword', /control characters/],
    ['db\u0000', /control characters/],
    ['db\u007f', /control characters/],
    ['db\u00a0x', /whitespace/],
    ['db\\..\\x', /separator/],
    ['db//x', /empty segments/],
    ['db/', /empty segments/],
    ['a'.repeat(513), /at most 512/],
  ])('refuses %j', (key, message) =>
    expect(checkSecretRemoteKey(key)).toMatch(message),
  );
});

describe('checkSecretProperty', () => {
  it('accepts a JSON property and refuses whitespace and control characters', () => {
    expect(checkSecretProperty('api-key')).toBeUndefined();
    expect(checkSecretProperty('api key')).toMatch(/whitespace/);
    expect(checkSecretProperty('api\u0007key')).toMatch(/control/);
    expect(checkSecretProperty('')).toMatch(/empty/);
  });
});

describe('checkSecretKeyPrefix', () => {
  it.each(['', 'staging/', '/prod/', 'teams/ml/'])('accepts %j', prefix =>
    expect(checkSecretKeyPrefix(prefix)).toBeUndefined(),
  );
  it.each([
    ['../', /segments/],
    ['staging /', /whitespace/],
    ['a\u0001', /control/],
  ])('refuses %j', (prefix, message) =>
    expect(checkSecretKeyPrefix(prefix)).toMatch(message),
  );
});
