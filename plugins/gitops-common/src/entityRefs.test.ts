import { Entity } from '@backstage/catalog-model';
import {
  checkRepositoryPath,
  getArgocdAppSelector,
  getGitopsPath,
  isGitopsAvailable,
} from './entityRefs';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'svc', annotations },
  spec: {},
});

describe('entity annotations', () => {
  it('reads gitops/path without trailing slash', () => {
    expect(getGitopsPath(entity({ 'gitops/path': 'apps/svc/' }))).toBe(
      'apps/svc',
    );
    expect(isGitopsAvailable(entity({ 'gitops/path': 'apps/svc' }))).toBe(true);
  });
  it('treats a blank annotation as absent', () => {
    expect(getGitopsPath(entity({ 'gitops/path': '  ' }))).toBeUndefined();
    expect(isGitopsAvailable(entity({}))).toBe(false);
    expect(getArgocdAppSelector(entity({}))).toBeUndefined();
  });
  it('reads the Argo CD selector', () =>
    expect(
      getArgocdAppSelector(
        entity({ 'argocd/app-selector': 'app.kubernetes.io/name=svc' }),
      ),
    ).toBe('app.kubernetes.io/name=svc'));
});

describe('checkRepositoryPath', () => {
  it.each(['apps/svc', 'svc', 'teams/a/apps/svc/'])('accepts %s', v =>
    expect(checkRepositoryPath(v)).toBeUndefined(),
  );
  it.each([
    ['/abs', /relative/],
    ['apps/../etc', /segments/],
    ['apps//svc', /segments/],
    ['./apps', /segments/],
    ['apps\\svc', /separator/],
    ['', /empty/],
  ])('rejects %j', (v, m) => expect(checkRepositoryPath(v)).toMatch(m));
});
