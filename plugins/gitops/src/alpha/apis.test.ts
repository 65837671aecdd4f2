import { ApiBlueprint } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { gitopsApiRef } from '../api';
import { gitopsApi } from './apis';

describe('api:gitops', () => {
  it('provides the GitOps client on discovery and fetch', () => {
    const factory = createExtensionTester(gitopsApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe(gitopsApiRef.id);
    expect(Object.keys(factory.deps).sort()).toEqual([
      'discoveryApi',
      'fetchApi',
    ]);
  });
});
