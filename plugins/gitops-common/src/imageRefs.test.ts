import {
  formatImageRef,
  imageVersion,
  parseImageRef,
  shortVersion,
} from './imageRefs';

const digest = `sha256:${'ab'.repeat(32)}`;

describe('parseImageRef', () => {
  it.each([
    ['nginx', { repository: 'nginx' }],
    ['nginx:1.27', { repository: 'nginx', tag: '1.27' }],
    [
      'registry.example.com:5000/team/app',
      { repository: 'registry.example.com:5000/team/app' },
    ],
    [
      'registry.example.com:5000/team/app:v1.2.3',
      { repository: 'registry.example.com:5000/team/app', tag: 'v1.2.3' },
    ],
    [
      `registry.example.com/team/app@${digest}`,
      { repository: 'registry.example.com/team/app', digest },
    ],
    [
      `localhost:5000/app:v1@${digest}`,
      { repository: 'localhost:5000/app', tag: 'v1', digest },
    ],
  ])('%s', (ref, expected) => {
    expect(parseImageRef(ref)).toEqual(expected);
    expect(formatImageRef(parseImageRef(ref))).toBe(ref);
  });
});

describe('imageVersion', () => {
  it('prefers the digest, then the tag, then latest', () => {
    expect(imageVersion(`app:v1@${digest}`)).toBe(digest);
    expect(imageVersion('registry:5000/app:v1.4.2')).toBe('v1.4.2');
    expect(imageVersion('registry:5000/app')).toBe('latest');
  });
});

describe('shortVersion', () => {
  it('cuts digests to 12 hex characters and keeps tags', () => {
    expect(shortVersion(digest)).toBe('sha256:abababababab');
    expect(shortVersion('v1.5.0-rc.1')).toBe('v1.5.0-rc.1');
  });
});
