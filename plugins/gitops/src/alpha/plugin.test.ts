import plugin from './index';

describe('gitops frontend plugin', () => {
  it.each([
    ['api:gitops', 'api'],
    ['entity-content:gitops', 'entity-content'],
    ['entity-card:gitops', 'entity-card'],
    ['page:gitops', 'page'],
  ] as const)('provides %s', (id, kind) => {
    expect(plugin.getExtension(id)).toMatchObject({ kind });
  });

  it('has nothing else', () => {
    expect(() => plugin.getExtension('nav-item:gitops' as any)).toThrow();
  });
});
