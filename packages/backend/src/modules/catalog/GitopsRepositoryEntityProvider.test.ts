import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import fs from 'node:fs';
import git from 'isomorphic-git';
import path from 'node:path';
import {
  GitopsRepositoryEntityProvider,
  readGitopsRepositoryProviderSettings,
} from './GitopsRepositoryEntityProvider';

const component = (name: string) =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec: {}\n`;

async function commitFiles(dir: string, files: Record<string, string>) {
  if (!fs.existsSync(path.join(dir, '.git'))) {
    await git.init({ fs, dir, defaultBranch: 'main' });
  }
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
    await git.add({ fs, dir, filepath: file });
  }
  return git.commit({
    fs,
    dir,
    message: 'test',
    author: { name: 'Test', email: 'test@example.com' },
  });
}

describe('readGitopsRepositoryProviderSettings', () => {
  it('is off without a local repository', () => {
    expect(
      readGitopsRepositoryProviderSettings(
        new ConfigReader({
          gitops: { repository: { url: 'https://git.example.com/g.git' } },
        }),
      ),
    ).toBeUndefined();
    expect(
      readGitopsRepositoryProviderSettings(
        new ConfigReader({
          gitops: { repository: { localPath: '/tmp/x', source: 'url' } },
        }),
      ),
    ).toBeUndefined();
  });

  it('reads the schedule from catalog.providers.gitopsRepository.schedule, local by default', () => {
    const settings = readGitopsRepositoryProviderSettings(
      new ConfigReader({
        gitops: { repository: { localPath: '/srv/gitops', appsPath: 'svc' } },
        catalog: {
          providers: {
            gitopsRepository: {
              schedule: { frequency: { seconds: 5 }, timeout: { seconds: 30 } },
            },
          },
        },
      }),
    );
    expect(settings).toEqual({
      localPath: '/srv/gitops',
      branch: 'main',
      appsPath: 'svc',
      schedule: {
        frequency: { seconds: 5 },
        timeout: { seconds: 30 },
        initialDelay: { seconds: 1 },
        scope: 'local',
      },
    });
  });

  it('defaults to every 10 seconds', () => {
    const settings = readGitopsRepositoryProviderSettings(
      new ConfigReader({ gitops: { repository: { localPath: '/srv/g' } } }),
    );
    expect(settings?.schedule.frequency).toEqual({ seconds: 10 });
  });
});

describe('GitopsRepositoryEntityProvider', () => {
  const dir = createMockDirectory();
  beforeEach(() => dir.clear());

  function connect() {
    const provider = new GitopsRepositoryEntityProvider(
      { localPath: dir.path, branch: 'main', appsPath: 'apps' },
      mockServices.logger.mock(),
    );
    const connection: jest.Mocked<EntityProviderConnection> = {
      applyMutation: jest.fn(),
      refresh: jest.fn(),
    };
    return { provider, connection };
  }

  const targets = (connection: jest.Mocked<EntityProviderConnection>) =>
    connection.applyMutation.mock.calls.map(([m]) =>
      m.type === 'full'
        ? m.entities.map(e => (e.entity.spec as { target: string }).target)
        : m,
    );

  it('emits a file Location per committed catalog-info.yaml, once per commit', async () => {
    const { provider, connection } = connect();
    await provider.connect(connection);
    await commitFiles(dir.path, {
      'apps/b/catalog-info.yaml': component('b'),
      'apps/a/catalog-info.yaml': component('a'),
      'apps/a/base/deployment.yaml': 'kind: Deployment\n',
      'apps/no-catalog/base/service.yaml': 'kind: Service\n',
      'other/catalog-info.yaml': component('other'),
    });
    // Written but not committed: not the catalog's business yet.
    fs.mkdirSync(path.join(dir.path, 'apps/draft'));
    fs.writeFileSync(
      path.join(dir.path, 'apps/draft/catalog-info.yaml'),
      component('draft'),
    );

    await provider.refresh();
    await provider.refresh();
    expect(targets(connection)).toEqual([
      [
        path.join(dir.path, 'apps/a/catalog-info.yaml'),
        path.join(dir.path, 'apps/b/catalog-info.yaml'),
      ],
    ]);
    const [[mutation]] = connection.applyMutation.mock.calls;
    expect(mutation.type === 'full' && mutation.entities[0]).toMatchObject({
      locationKey: 'gitops-repository',
      entity: { kind: 'Location', spec: { type: 'file' } },
    });

    await commitFiles(dir.path, { 'apps/c/catalog-info.yaml': component('c') });
    await provider.refresh();
    expect(targets(connection)).toHaveLength(2);
    expect(targets(connection)[1]).toHaveLength(3);
  });

  it('emits an empty set while the repository does not exist', async () => {
    const { provider, connection } = connect();
    await provider.connect(connection);
    await provider.refresh();
    await provider.refresh();
    expect(targets(connection)).toEqual([[]]);
  });

  it('refuses to refresh before the catalog connected it', async () => {
    const { provider } = connect();
    await expect(provider.refresh()).rejects.toThrow(/not connected/);
  });
});
