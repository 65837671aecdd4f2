import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import {
  generateService,
  GitopsRepositoryReader,
  parseServiceFolder,
  readPlatformProfile,
} from '@goldenpath/plugin-gitops-node';
import { DesiredStateIndex } from './DesiredStateIndex';

const profile = readPlatformProfile(
  new ConfigReader({
    gitops: { repository: { url: 'https://git.example.com/gitops.git' } },
  }),
);

const folder = (name: string, stagingTag: string) =>
  new Map(
    generateService(
      {
        name,
        owner: 'group:default/team',
        image: `registry.example.com/${name}`,
        environments: [
          { name: 'staging', imageTag: stagingTag },
          { name: 'production', imageTag: 'v1.0.0' },
        ],
      },
      profile,
    ).files.map(f => [f.path, f.content]),
  );

/** A repository whose content and version the test sets. */
function fakeRepository() {
  const repo = {
    version: 'c1',
    folders: new Map([
      ['apps/a', folder('a', 'v1')],
      ['apps/b', folder('b', 'v1')],
    ]),
    readAll: 0,
    readService: [] as string[],
  };
  const reader: GitopsRepositoryReader = {
    async readService(path) {
      repo.readService.push(path);
      const files = repo.folders.get(path);
      if (!files) throw new NotFoundError(`${path} does not exist`);
      return parseServiceFolder(path, files);
    },
    async readAll(_appsPath, options) {
      repo.readAll++;
      if (options?.version === repo.version) return undefined;
      const folders = [...repo.folders];
      return {
        version: repo.version,
        revision: repo.version,
        folders: (async function* each() {
          for (const [path, files] of folders) yield { path, files };
        })(),
      };
    },
  };
  return { repo, reader };
}

const indexOver = (reader: GitopsRepositoryReader) =>
  new DesiredStateIndex({
    reader,
    appsPath: 'apps',
    ttlMs: 15_000,
    logger: mockServices.logger.mock(),
  });

const stagingTag = (state: Awaited<ReturnType<DesiredStateIndex['get']>>) =>
  state.environments.find(e => e.name === 'staging')?.desired?.tag;

describe('DesiredStateIndex', () => {
  afterEach(() => jest.restoreAllMocks());

  it('answers every service of the repository from memory once loaded', async () => {
    const { repo, reader } = fakeRepository();
    const index = indexOver(reader);
    await index.refresh();
    expect(index.size).toBe(2);
    expect(stagingTag(await index.get('apps/a'))).toBe('v1');
    expect((await index.get('apps/b')).revision).toBe('c1');
    expect(repo.readService).toEqual([]);
  });

  it('re-reads only a changed repository and re-parses only changed folders', async () => {
    const { repo, reader } = fakeRepository();
    const index = indexOver(reader);
    await index.refresh();
    const a1 = await index.get('apps/a');
    const b1 = await index.get('apps/b');

    await index.refresh(); // same version
    expect(await index.get('apps/a')).toBe(a1);

    repo.version = 'c2';
    repo.folders.set('apps/a', folder('a', 'v2'));
    repo.folders.delete('apps/b');
    repo.folders.set('apps/c', folder('c', 'v9'));
    await index.refresh();
    expect(stagingTag(await index.get('apps/a'))).toBe('v2');
    expect(stagingTag(await index.get('apps/c'))).toBe('v9');
    expect(await index.get('apps/a')).not.toBe(a1);
    // b is gone from the repository: read on demand, and not found.
    await expect(index.get('apps/b')).rejects.toThrow(/does not exist/);
    expect(b1).toBeDefined();
    expect(repo.readAll).toBe(3);
  });

  it('keeps unchanged folders as they were parsed', async () => {
    const { repo, reader } = fakeRepository();
    const index = indexOver(reader);
    await index.refresh();
    const b1 = await index.get('apps/b');
    repo.version = 'c2';
    repo.folders.set('apps/a', folder('a', 'v2'));
    await index.refresh();
    expect(await index.get('apps/b')).toBe(b1);
  });

  it('reads paths outside the index on demand, then answers at once and revalidates in the background', async () => {
    const { repo, reader } = fakeRepository();
    let now = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const index = indexOver(reader);
    // Before the first refresh (cold start): on demand.
    expect(stagingTag(await index.get('apps/a'))).toBe('v1');
    expect(stagingTag(await index.get('apps/a'))).toBe('v1');
    expect(repo.readService).toEqual(['apps/a']);

    repo.folders.set('apps/a', folder('a', 'v2'));
    now = 20_000;
    expect(stagingTag(await index.get('apps/a'))).toBe('v1'); // stale, at once
    await new Promise(r => setImmediate(r));
    expect(stagingTag(await index.get('apps/a'))).toBe('v2');
    expect(repo.readService).toEqual(['apps/a', 'apps/a']);
  });

  it('does not keep a failed first read', async () => {
    const { repo, reader } = fakeRepository();
    const index = indexOver(reader);
    await expect(index.get('apps/new')).rejects.toThrow(/does not exist/);
    repo.folders.set('apps/new', folder('new', 'v3'));
    expect(stagingTag(await index.get('apps/new'))).toBe('v3');
  });
});
