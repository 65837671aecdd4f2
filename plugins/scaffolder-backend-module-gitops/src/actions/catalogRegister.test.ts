import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import path from 'node:path';
import { createCatalogRegisterAction } from './catalogRegister';

describe('gitops:catalog:register', () => {
  const repo = createMockDirectory({
    content: {
      'apps/svc/catalog-info.yaml':
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\nspec: {}\n',
      'apps/empty/catalog-info.yaml': '',
    },
  });

  const run = async (
    catalogInfoPath: string,
    repositoryDir: string | undefined = repo.path,
  ) => {
    const catalog = catalogServiceMock.mock({
      addLocation: jest.fn(async () => ({
        location: {} as any,
        entities: [],
        exists: false,
      })),
    });
    const action = createCatalogRegisterAction({ catalog, repositoryDir });
    const ctx = createMockActionContext({
      input: { catalogInfoPath },
      logger: mockServices.logger.mock(),
    });
    await action.handler(ctx);
    return {
      catalog,
      outputs: Object.fromEntries((ctx.output as jest.Mock).mock.calls),
    };
  };

  it('registers the file as a catalog location on behalf of the user', async () => {
    const { catalog, outputs } = await run('apps/svc/catalog-info.yaml');
    const target = path.join(repo.path, 'apps/svc/catalog-info.yaml');
    expect(catalog.addLocation).toHaveBeenCalledWith(
      { type: 'file', target },
      { credentials: expect.anything() },
    );
    expect(outputs).toEqual({
      entityRef: 'component:default/svc',
      locationTarget: target,
    });
  });

  it.each([
    [
      '../outside.yaml',
      /^catalogInfoPath must be inside the GitOps repository/,
    ],
    [
      'apps/none/catalog-info.yaml',
      /^catalogInfoPath "apps\/none\/catalog-info.yaml" does not exist/,
    ],
    ['apps/empty/catalog-info.yaml', /holds no entity/],
  ])('refuses %s and registers nothing', async (p, message) => {
    await expect(run(p)).rejects.toThrow(message);
  });

  it('explains itself when no local repository is configured', async () => {
    const action = createCatalogRegisterAction({
      catalog: catalogServiceMock(),
    });
    const ctx = createMockActionContext({
      input: { catalogInfoPath: 'apps/svc/catalog-info.yaml' },
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      /needs gitops\.repository\.localPath/,
    );
  });
});
