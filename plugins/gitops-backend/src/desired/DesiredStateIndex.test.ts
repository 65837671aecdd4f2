import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import {
  generateService,
  GitopsRepositoryReader,
  parseServiceFolder,
  readPlatformProfile,
} from '@goldenpath/plugin-gitops-node';
import { SnapshotStore } from '../snapshot/SnapshotStore';
import { DesiredIndexStore } from './DesiredIndexStore';
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
    failWith: undefined as Error | undefined,
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
      if (repo.failWith) throw repo.failWith;
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
    logger: mockServices.logger.mock(),
  });

const stagingTag = (state: Awaited<ReturnType<DesiredStateIndex['get']>>) =>
  state.environments.find(e => e.name === 'staging')?.desired?.tag;

describe('DesiredStateIndex', () => {
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
    // b is gone from the repository: answered as missing, without a read.
    await expect(index.get('apps/b')).rejects.toThrow(
      'apps/b is not a service folder of the GitOps repository at c2',
    );
    expect(b1.path).toBe('apps/b');
    expect(repo.readService).toEqual([]);
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

  it('answers a path missing from the index as missing, never reading it', async () => {
    const { repo, reader } = fakeRepository();
    const index = indexOver(reader);
    await index.refresh();
    for (const path of ['apps/new', 'infra/secrets', 'apps/new']) {
      await expect(index.get(path)).rejects.toThrow(
        `${path} is not a service folder of the GitOps repository at c1`,
      );
    }
    expect(repo.readService).toEqual([]);
    expect(repo.readAll).toBe(1);
    // Committed since: found by the next check, not by a request.
    repo.version = 'c2';
    repo.folders.set('apps/new', folder('new', 'v3'));
    await expect(index.get('apps/new')).rejects.toThrow(/not a service folder/);
    await index.refresh();
    expect(stagingTag(await index.get('apps/new'))).toBe('v3');
    expect(repo.readService).toEqual([]);
  });

  it('makes requests wait for the first read under way instead of reading', async () => {
    const { repo, reader } = fakeRepository();
    const index = indexOver(reader);
    await expect(index.get('apps/a')).rejects.toThrow(
      'the GitOps repository has not been read yet',
    );
    const first = index.refresh();
    const answers = await Promise.all([
      index.get('apps/a'),
      index.get('apps/b'),
    ]);
    await first;
    expect(answers.map(stagingTag)).toEqual(['v1', 'v1']);
    expect(repo.readAll).toBe(1);
    expect(repo.readService).toEqual([]);
  });

  it('keeps the last good state after a failed refresh, marked stale until the next success', async () => {
    const { repo, reader } = fakeRepository();
    const index = indexOver(reader);
    await index.refresh();
    expect(index.staleSince).toBeUndefined();
    repo.version = 'c2';
    repo.folders.set('apps/a', folder('a', 'v2'));
    repo.failWith = new Error('Request failed for https://git.example.com');
    await expect(index.refresh()).rejects.toThrow(/Request failed/);
    const since = index.staleSince;
    expect(since).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(stagingTag(await index.get('apps/a'))).toBe('v1');
    await expect(index.refresh()).rejects.toThrow(/Request failed/);
    expect(index.staleSince).toBe(since);
    repo.failWith = undefined;
    await index.refresh();
    expect(index.staleSince).toBeUndefined();
    expect(stagingTag(await index.get('apps/a'))).toBe('v2');
  });

  it('says so when the repository was never read, without reading per request', async () => {
    const { repo, reader } = fakeRepository();
    const index = indexOver(reader);
    repo.failWith = new Error('boom');
    await expect(index.refresh()).rejects.toThrow('boom');
    await expect(index.get('apps/a')).rejects.toThrow(
      'the GitOps repository could not be read; the backend log says why',
    );
    expect(index.staleSince).toBeUndefined();
    expect(repo.readAll).toBe(1);
    expect(repo.readService).toEqual([]);
  });
});

describe('DesiredStateIndex with a stored index', () => {
  const databases = TestDatabases.create();

  it.each(databases.eachSupportedId())(
    'answers from the stored index at start, re-parses nothing when the repository did not move, and stores each changed read (%s)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await SnapshotStore.create({ getClient: async () => knex } as any);
      const { repo, reader } = fakeRepository();
      const source = '/srv/gitops#main#apps';

      // A first backend reads the repository and stores the index.
      const first = new DesiredStateIndex({
        reader,
        appsPath: 'apps',
        logger: mockServices.logger.mock(),
        store: new DesiredIndexStore(knex, source),
      });
      await first.refresh();
      expect(repo.readAll).toBe(1);

      // A restarted one answers before its read of the repository ends.
      let release!: () => void;
      const slow: GitopsRepositoryReader = {
        ...reader,
        async readAll(appsPath, options) {
          // The first read (at start) waits for the test.
          if (!release) await new Promise<void>(r => (release = r));
          return reader.readAll!(appsPath, options);
        },
      };
      const logger = mockServices.logger.mock();
      const restarted = new DesiredStateIndex({
        reader: slow,
        appsPath: 'apps',
        logger,
        store: new DesiredIndexStore(knex, source),
      });
      const refreshed = restarted.refresh();
      expect(stagingTag(await restarted.get('apps/a'))).toBe('v1');
      expect(restarted.size).toBe(2);
      release();
      await refreshed;
      // The repository is at the stored version: nothing re-read or parsed.
      expect(repo.readAll).toBe(2);
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringMatching(
          /^GitOps repository: answering from the stored index \(2 services at c1\)/,
        ),
      );

      // The repository moves: the new read is stored for the next start.
      repo.version = 'c2';
      repo.folders.set('apps/a', folder('a', 'v2'));
      await restarted.refresh();
      const stored = await new DesiredIndexStore(knex, source).read();
      expect(stored?.version).toBe('c2');
      expect(
        stagingTag(stored!.entries.find(([path]) => path === 'apps/a')![2]),
      ).toBe('v2');
      // Another repository's index is its own.
      expect(await new DesiredIndexStore(knex, 'elsewhere').read()).toBe(
        undefined,
      );
    },
    30_000,
  );
});
