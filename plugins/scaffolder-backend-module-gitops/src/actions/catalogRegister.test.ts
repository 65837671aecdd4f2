import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'fs-extra';
import git from 'isomorphic-git';
import path from 'node:path';
import { createCatalogRegisterAction } from './catalogRegister';

const svc =
  'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\nspec: {}\n';

describe('gitops:catalog:register', () => {
  const repo = createMockDirectory();
  const workspace = createMockDirectory();

  beforeAll(async () => {
    repo.setContent({
      'apps/svc/catalog-info.yaml': svc,
      'apps/empty/catalog-info.yaml': '',
    });
    await git.init({ fs, dir: repo.path, defaultBranch: 'main' });
    await git.add({ fs, dir: repo.path, filepath: 'apps' });
    await git.commit({
      fs,
      dir: repo.path,
      message: 'test',
      author: { name: 'Test', email: 'test@example.com' },
    });
    // Written after the commit: the catalog provider would not see it.
    repo.addContent({ 'apps/draft/catalog-info.yaml': svc });
    workspace.setContent({ 'apps/svc/catalog-info.yaml': svc });
  });

  const catalogWith = (entities: any[] = []) => {
    const catalog = catalogServiceMock.mock({
      addLocation: jest.fn(async () => ({
        location: {} as any,
        entities: [],
        exists: false,
      })),
      getEntityByRef: jest.fn(async (ref: any) =>
        entities.find(
          e => `component:default/${e.metadata.name}` === String(ref),
        ),
      ),
    });
    return catalog;
  };

  const run = async (
    catalogInfoPath: string,
    options: Partial<Parameters<typeof createCatalogRegisterAction>[0]> = {},
    dryRun = false,
  ) => {
    const catalog = options.catalog ?? catalogWith();
    const logger = mockServices.logger.mock();
    const action = createCatalogRegisterAction({
      repositoryDir: repo.path,
      wait: { timeoutMs: 50, intervalMs: 10 },
      ...options,
      catalog,
    });
    const ctx = createMockActionContext({
      input: { catalogInfoPath },
      logger,
      workspacePath: workspace.path,
    });
    if (dryRun) (ctx as any).isDryRun = true;
    await action.handler(ctx);
    return {
      catalog,
      logger,
      outputs: Object.fromEntries((ctx.output as jest.Mock).mock.calls),
    };
  };

  it('checks the committed file and waits for the catalog provider, registering no location', async () => {
    const catalog = catalogWith([
      { kind: 'Component', metadata: { name: 'svc' } },
    ]);
    const { outputs, logger } = await run('apps/svc/catalog-info.yaml', {
      catalog,
      repositoryUrl: 'https://github.com/example-org/gitops.git',
    });
    expect(catalog.addLocation).not.toHaveBeenCalled();
    expect(catalog.getEntityByRef).toHaveBeenCalledWith(
      'component:default/svc',
      { credentials: expect.anything() },
    );
    expect(logger.info).toHaveBeenCalledWith(
      'component:default/svc is in the catalog',
    );
    expect(outputs).toEqual({
      entityRef: 'component:default/svc',
      locationTarget: path.join(repo.path, 'apps/svc/catalog-info.yaml'),
      catalogInfoUrl:
        'https://github.com/example-org/gitops/blob/main/apps/svc/catalog-info.yaml',
    });
  });

  it('in a dry run, reads the file the template generated in the workspace (nothing is committed) and waits for nothing', async () => {
    workspace.addContent({
      'apps/new-svc/catalog-info.yaml':
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: new-svc\n',
    });
    const { outputs, catalog } = await run(
      'apps/new-svc/catalog-info.yaml',
      {},
      true,
    );
    expect(outputs.entityRef).toBe('component:default/new-svc');
    expect(catalog.getEntityByRef).not.toHaveBeenCalled();
    expect(catalog.addLocation).not.toHaveBeenCalled();
    await expect(
      run('apps/missing/catalog-info.yaml', {}, true),
    ).rejects.toThrow(
      'catalogInfoPath "apps/missing/catalog-info.yaml" is neither committed nor in the workspace',
    );
  });

  it('says so when the catalog has not picked the entity up in time', async () => {
    const { outputs, logger, catalog } = await run(
      'apps/svc/catalog-info.yaml',
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/committed but not in the catalog yet/),
    );
    expect(
      (catalog.getEntityByRef as jest.Mock).mock.calls.length,
    ).toBeGreaterThan(1);
    expect(outputs.entityRef).toBe('component:default/svc');
    expect(outputs.catalogInfoUrl).toBeUndefined();
  });

  it.each([
    [
      '../outside.yaml',
      'catalogInfoPath must be inside the GitOps repository, got "../outside.yaml"',
    ],
    [
      'apps/draft/catalog-info.yaml',
      'catalogInfoPath "apps/draft/catalog-info.yaml" does not exist in the GitOps repository on branch main: commit it first (gitops:repository:commit)',
    ],
    [
      'apps/none/catalog-info.yaml',
      'catalogInfoPath "apps/none/catalog-info.yaml" does not exist in the GitOps repository on branch main: commit it first (gitops:repository:commit)',
    ],
    [
      'apps/empty/catalog-info.yaml',
      'catalogInfoPath "apps/empty/catalog-info.yaml" holds no entity',
    ],
  ])('refuses %s and registers nothing', async (p, message) => {
    const catalog = catalogWith();
    await expect(run(p, { catalog })).rejects.toThrow(message);
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  describe('with a remote repository (no local path)', () => {
    const remote = {
      repositoryDir: undefined,
      repositoryUrl: 'https://github.com/example-org/gitops',
      branch: 'release',
      auth: mockServices.auth(),
    };

    it('adds a url location with the scaffolder credentials', async () => {
      const { catalog, outputs } = await run(
        'apps/svc/catalog-info.yaml',
        remote,
      );
      const url =
        'https://github.com/example-org/gitops/blob/release/apps/svc/catalog-info.yaml';
      expect(catalog.addLocation).toHaveBeenCalledWith(
        { type: 'url', target: url },
        { credentials: mockCredentials.service('plugin:test') },
      );
      expect(outputs).toEqual({
        entityRef: 'component:default/svc',
        locationTarget: url,
        catalogInfoUrl: url,
      });
    });

    it.each([
      'apps/../catalog-info.yaml',
      'other/svc/catalog-info.yaml',
      'apps/svc/other.yaml',
      'apps/a/b/catalog-info.yaml',
    ])('refuses %s, outside a service folder', async p => {
      const catalog = catalogWith();
      await expect(run(p, { ...remote, catalog })).rejects.toThrow(
        `catalogInfoPath must be apps/<service>/catalog-info.yaml, got "${p}"`,
      );
      expect(catalog.addLocation).not.toHaveBeenCalled();
    });
  });

  it('explains itself when no repository is configured', async () => {
    await expect(
      run('apps/svc/catalog-info.yaml', { repositoryDir: undefined }),
    ).rejects.toThrow(
      'gitops:catalog:register needs gitops.repository.localPath or gitops.repository.url in app-config',
    );
  });
});
