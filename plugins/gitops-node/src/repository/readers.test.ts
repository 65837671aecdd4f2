import { ConfigReader } from '@backstage/config';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { NotModifiedError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import { readPlatformProfile } from '../profile';
import { generateService } from '../generator';
import { LocalRepositoryReader } from './LocalRepositoryReader';
import { parseServiceFolder } from './parseServiceFolder';
import { UrlRepositoryReader } from './UrlRepositoryReader';
import { cli } from '../git/testGit';

const profile = readPlatformProfile(
  new ConfigReader({
    gitops: { repository: { url: 'https://git.example.com/gitops.git' } },
  }),
);
const digest = `sha256:${'c'.repeat(64)}`;
const generated = (controller: 'argocd' | 'flux' | 'none' = 'argocd') =>
  generateService(
    {
      name: 'inference-api',
      owner: 'group:default/ml-team',
      image: 'registry.example.com/inference-api',
      environments: [
        { name: 'staging', imageTag: 'latest' },
        { name: 'production', imageTag: digest },
      ],
      controller,
    },
    profile,
  );
const asFiles = (g: ReturnType<typeof generated>) =>
  new Map(g.files.map(f => [f.path, f.content]));

describe('parseServiceFolder', () => {
  it('reads back, per overlay, what the generator wrote', () => {
    expect(
      parseServiceFolder('apps/inference-api', asFiles(generated())),
    ).toEqual({
      path: 'apps/inference-api',
      environments: [
        {
          name: 'production',
          controller: 'argocd',
          namespace: 'inference-api-production',
          desired: { image: 'registry.example.com/inference-api', digest },
        },
        {
          name: 'staging',
          controller: 'argocd',
          namespace: 'inference-api-staging',
          desired: {
            image: 'registry.example.com/inference-api',
            tag: 'latest',
          },
        },
      ],
    });
  });

  it('tells the controller from the folder', () => {
    const state = parseServiceFolder('apps/x', asFiles(generated('flux')));
    expect(state.environments.map(e => e.controller)).toEqual(['flux', 'flux']);
    expect(
      parseServiceFolder('apps/x', asFiles(generated('none'))).environments[0]
        .controller,
    ).toBe('none');
  });

  it('honours newName and reports an unreadable overlay without failing the others', () => {
    const files = asFiles(generated());
    files.set(
      'overlays/staging/kustomization.yaml',
      'namespace: ns\nimages:\n  - name: registry.example.com/inference-api\n    newName: mirror.example.com/inference-api\n    newTag: "1.0"\n',
    );
    files.set('overlays/broken/kustomization.yaml', 'images: [\n');
    const state = parseServiceFolder('apps/x', files);
    expect(state.environments.find(e => e.name === 'staging')!.desired).toEqual(
      {
        image: 'mirror.example.com/inference-api',
        tag: '1.0',
      },
    );
    expect(state.environments.find(e => e.name === 'broken')!.error).toMatch(
      /not valid YAML/,
    );
    expect(
      state.environments.find(e => e.name === 'production')!.desired!.digest,
    ).toBe(digest);
  });
});

describe('LocalRepositoryReader', () => {
  const repo = createMockDirectory();

  it('reads a service folder of the working tree', async () => {
    repo.setContent(
      Object.fromEntries(
        generated().files.map(f => [`apps/inference-api/${f.path}`, f.content]),
      ),
    );
    const state = await new LocalRepositoryReader(repo.path).readService(
      'apps/inference-api',
    );
    expect(
      state.environments.map(e => [
        e.name,
        e.desired?.tag ?? e.desired?.digest,
      ]),
    ).toEqual([
      ['production', digest],
      ['staging', 'latest'],
    ]);
  });

  it('answers NotFound for a missing folder and refuses paths leaving the repository', async () => {
    repo.setContent({});
    const reader = new LocalRepositoryReader(repo.path);
    await expect(reader.readService('apps/none')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(reader.readService('../etc')).rejects.toThrow(
      /gitops\/path must not contain/,
    );
  });
});

/**
 * A URL reader whose first readTree answers the generated service under
 * each prefix with ETag sha-1, and whose second answers "not modified".
 */
function urlReaderServing(prefixes: string[]) {
  const urlReader = mockServices.urlReader.mock();
  const files = generated().files;
  urlReader.readTree.mockResolvedValueOnce({
    etag: 'sha-1',
    files: async () =>
      prefixes.flatMap(prefix =>
        files.map(f => ({
          path: `${prefix}${f.path}`,
          content: async () => Buffer.from(f.content),
        })),
      ),
    archive: jest.fn(),
    dir: jest.fn(),
  } as any);
  urlReader.readTree.mockRejectedValueOnce(new NotModifiedError('same'));
  return urlReader;
}

describe('UrlRepositoryReader', () => {
  it('reads through the URL reader and revalidates with the ETag', async () => {
    const urlReader = urlReaderServing(['']);
    const reader = new UrlRepositoryReader(
      urlReader,
      UrlRepositoryReader.treeUrlFor(
        'https://github.com/example-org/gitops.git',
        'main',
      ),
    );
    const first = await reader.readService('apps/inference-api');
    const second = await reader.readService('apps/inference-api');
    expect(second).toBe(first);
    expect(first.revision).toBe('sha-1');
    expect(urlReader.readTree.mock.calls.map(c => [c[0], c[1]?.etag])).toEqual([
      [
        'https://github.com/example-org/gitops/tree/main/apps/inference-api',
        undefined,
      ],
      [
        'https://github.com/example-org/gitops/tree/main/apps/inference-api',
        'sha-1',
      ],
    ]);
  });
});

async function collect(
  read: Awaited<ReturnType<LocalRepositoryReader['readAll']>>,
) {
  const out: Array<{ path: string; files: string[] }> = [];
  for await (const folder of read!.folders) {
    out.push({ path: folder.path, files: [...folder.files.keys()].sort() });
  }
  return out;
}

describe('readAll', () => {
  const repo = createMockDirectory();
  const tree = (names: string[]) =>
    Object.fromEntries(
      names.flatMap(name =>
        generated().files.map(f => [`apps/${name}/${f.path}`, f.content]),
      ),
    );

  it('reads every service folder of a working tree and skips an unchanged git repository', async () => {
    repo.setContent({ ...tree(['a', 'b']), 'apps/notes.txt': 'not a service' });
    cli(repo.path, 'init', '-q', '-b', 'main');
    cli(repo.path, 'add', '.');
    cli(repo.path, 'commit', '-q', '-m', 'a and b');
    const reader = new LocalRepositoryReader(repo.path);
    const first = await reader.readAll('apps');
    const head = cli(repo.path, 'rev-parse', 'HEAD');
    expect(first!.version).toMatch(new RegExp(`^${head}:`));
    expect(first!.revision).toBe(head);
    const folders = await collect(first);
    expect(folders.map(f => f.path)).toEqual(['apps/a', 'apps/b']);
    expect(folders[0].files).toContain('overlays/staging/kustomization.yaml');

    expect(
      await reader.readAll('apps', { version: first!.version }),
    ).toBeUndefined();

    // Staging is a new version (the index changed)...
    repo.addContent(tree(['c']));
    await new Promise(r => setTimeout(r, 10));
    cli(repo.path, 'add', 'apps/c');
    const staged = await reader.readAll('apps', { version: first!.version });
    expect(staged!.revision).toBe(head);
    expect(staged!.version).not.toBe(first!.version);
    expect((await collect(staged)).map(f => f.path)).toContain('apps/c');

    // ...and so is a commit, also when the branch is a packed ref.
    cli(repo.path, 'commit', '-q', '-m', 'c');
    cli(repo.path, 'pack-refs', '--all');
    expect(fs.existsSync(path.join(repo.path, '.git/refs/heads/main'))).toBe(
      false,
    );
    const third = await reader.readAll('apps', { version: staged!.version });
    expect(third!.revision).toBe(cli(repo.path, 'rev-parse', 'HEAD'));
    expect(third!.revision).not.toBe(head);
  });

  it('follows no symbolic link out of the repository', async () => {
    const outside = createMockDirectory();
    outside.setContent(tree(['secret']));
    repo.setContent(tree(['a']));
    fs.symlinkSync(
      path.join(outside.path, 'apps/secret'),
      path.join(repo.path, 'apps/linked'),
    );
    fs.symlinkSync(
      path.join(outside.path, 'apps/secret/base/deployment.yaml'),
      path.join(repo.path, 'apps/a/base/linked.yaml'),
    );
    fs.symlinkSync(outside.path, path.join(repo.path, 'escape'));
    const reader = new LocalRepositoryReader(repo.path);

    const folders = await collect(await reader.readAll('apps'));
    expect(folders.map(f => f.path)).toEqual(['apps/a']);
    expect(folders[0].files).not.toContain('base/linked.yaml');
    await expect(reader.readService('apps/linked')).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'apps/linked is outside the GitOps repository',
    });
    await expect(reader.readAll('escape/apps')).rejects.toThrow(
      'gitops.repository.appsPath "escape/apps" leads outside the GitOps repository through a symbolic link',
    );
    await expect(reader.readService('apps/.Git')).rejects.toThrow(
      'gitops/path "apps/.Git" must not contain a ".git" segment (in any case)',
    );
  });

  it('reads every time outside git, and nothing when there is no apps folder', async () => {
    repo.setContent(tree(['a']));
    const reader = new LocalRepositoryReader(repo.path);
    const first = await reader.readAll('apps');
    expect(first!.version).toBeUndefined();
    expect(await reader.readAll('apps')).toBeDefined();
    expect(await collect(await reader.readAll('nothing-here'))).toEqual([]);
  });

  it('reads the apps folder through the URL reader in one conditional request', async () => {
    const urlReader = urlReaderServing(['a/', 'b/']);
    const reader = new UrlRepositoryReader(
      urlReader,
      'https://github.com/example-org/gitops/tree/main',
    );
    const first = await reader.readAll('apps');
    expect(first!.version).toBe('sha-1');
    const folders = await collect(first as any);
    expect(folders.map(f => f.path)).toEqual(['apps/a', 'apps/b']);
    expect(folders[1].files).toContain('base/deployment.yaml');
    expect(await reader.readAll('apps', { version: 'sha-1' })).toBeUndefined();
    expect(urlReader.readTree.mock.calls.map(c => [c[0], c[1]?.etag])).toEqual([
      ['https://github.com/example-org/gitops/tree/main/apps', undefined],
      ['https://github.com/example-org/gitops/tree/main/apps', 'sha-1'],
    ]);
  });
});
