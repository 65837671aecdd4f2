import {
  checkDns1035Label,
  checkDns1123Label,
  checkEnvVarName,
  checkImageRepository,
  checkImageTagOrDigest,
  isImmutableImageRef,
} from './names';

const digest = `sha256:${'a'.repeat(64)}`;

describe('checkDns1035Label', () => {
  it.each(['a', 'my-ai-service', 'svc2', `a${'b'.repeat(62)}`])(
    'accepts %s',
    value => expect(checkDns1035Label(value)).toBeUndefined(),
  );
  it.each([
    ['', /empty/],
    ['1abc', /DNS-1035/],
    ['My-Service', /DNS-1035/],
    ['svc-', /DNS-1035/],
    ['svc_name', /DNS-1035/],
    ['svc.name', /DNS-1035/],
    [`a${'b'.repeat(63)}`, /at most 63/],
  ])('rejects %j', (value, message) =>
    expect(checkDns1035Label(value)).toMatch(message),
  );
});

describe('checkDns1123Label', () => {
  it('accepts a leading digit, unlike DNS-1035', () => {
    expect(checkDns1123Label('1team-prod')).toBeUndefined();
    expect(checkDns1035Label('1team-prod')).toMatch(/DNS-1035/);
  });
  it('rejects upper case', () =>
    expect(checkDns1123Label('Prod')).toMatch(/DNS-1123/));
});

describe('checkEnvVarName', () => {
  it.each(['API_KEY', '_X', 'DB2_URL'])('accepts %s', v =>
    expect(checkEnvVarName(v)).toBeUndefined(),
  );
  it.each(['api_key', '2X', 'A-B', ''])('rejects %j', v =>
    expect(checkEnvVarName(v)).toMatch(/\[A-Z_\]/),
  );
});

describe('checkImageRepository', () => {
  it.each([
    'nginx',
    'registry.example.com/my-ai-service',
    'localhost:5000/team/svc',
    'ghcr.io/org/sub/image_name',
  ])('accepts %s', v => expect(checkImageRepository(v)).toBeUndefined());
  it('rejects a tag', () =>
    expect(checkImageRepository('registry.example.com/svc:v1')).toMatch(
      /without a tag/,
    ));
  it('rejects a digest', () =>
    expect(checkImageRepository(`svc@${digest}`)).toMatch(/without a digest/));
  it.each(['Registry.example.com/UPPER', 'a//b', '/svc', 'svc/', ''])(
    'rejects %j',
    v => expect(checkImageRepository(v)).toMatch(/image repository/),
  );
});

describe('checkImageTagOrDigest', () => {
  it.each(['latest', 'v1.2.3', '4f2a9c1', digest])('accepts %s', v =>
    expect(checkImageTagOrDigest(v)).toBeUndefined(),
  );
  it.each(['-bad', '.bad', 'a b', 'x'.repeat(129)])('rejects %j', v =>
    expect(checkImageTagOrDigest(v)).toMatch(/image tag/),
  );
  it('rejects a short digest', () =>
    expect(checkImageTagOrDigest('sha256:abc')).toMatch(/64/));
});

describe('isImmutableImageRef', () => {
  it.each([
    'v1.2.3',
    '1.2.3',
    'v1.2.3-rc.1',
    '4f2a9c1',
    'sha-4f2a9c1d',
    '0123456789abcdef0123456789abcdef01234567',
    digest,
  ])('treats %s as immutable', v => expect(isImmutableImageRef(v)).toBe(true));
  it.each(['latest', 'main', 'stable', 'v1', 'v1.2', 'edge', '1.2.3.4'])(
    'treats %s as moving',
    v => expect(isImmutableImageRef(v)).toBe(false),
  );
});
