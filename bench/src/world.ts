/*
 * The bench's world: the GitOps repository, the catalog file, the ports, and
 * each backend's configuration and client.
 */
import { ConfigReader } from '@backstage/config';
import {
  generateService,
  readPlatformProfile,
} from '@goldenpath/plugin-gitops-node';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import knexFactory from 'knex';
import { stringify } from 'yaml';
import {
  BackendId,
  BenchClient,
  communityClient,
  getJson,
  oursClient,
  roadieClient,
} from './clients';
import type { BenchSettings } from './results';
import { LOGS_DIR, sleep, spawnTs } from './processes';
import {
  benchComponent,
  benchProfileConfig,
  benchServiceInput,
} from './scenario';
import { elapsedMs } from './stats';

export const PORTS = {
  fake: 7200,
  catalog: 7201,
  ours: 7202,
  roadie: 7203,
  community: 7204,
};

/** The huge phase's other fake instances: the k-th (k >= 1) on FLEET_BASE_PORT + k - 1. */
export const FLEET_BASE_PORT = 7210;

export interface World {
  workDir: string;
  token: string;
  argocdToken: string;
  /** The Argo CD instances every backend is configured with (one but in the huge phase). */
  instances: Array<{ name: string; url: string }>;
  repoPath: string;
  catalogFile: string;
  postgres: boolean;
}

function baseConfig(world: World, port: number, database: object) {
  return {
    app: { baseUrl: 'http://127.0.0.1:3000' },
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { host: '127.0.0.1', port },
      database,
      auth: {
        // The bench plays the signed-in frontend with one static token,
        // the same for every backend.
        externalAccess: [
          {
            type: 'static',
            options: { token: world.token, subject: 'bench-frontend' },
          },
        ],
      },
    },
    discovery: {
      endpoints: [
        {
          target: `http://127.0.0.1:${PORTS.catalog}/api/{{pluginId}}`,
          plugins: ['catalog'],
        },
        {
          target: `http://127.0.0.1:${PORTS.ours}/api/{{pluginId}}`,
          plugins: ['gitops'],
        },
      ],
    },
  };
}

const sqliteMemory = { client: 'better-sqlite3', connection: ':memory:' };
const postgresConnection = {
  host: '127.0.0.1',
  port: 5432,
  user: 'postgres',
};
const OURS_DATABASE = 'bench_gitops';

export function configFor(which: BackendId | 'catalog', world: World) {
  const argocdInstances = world.instances.map(i => ({
    name: i.name,
    url: i.url,
    token: world.argocdToken,
  }));
  switch (which) {
    case 'catalog':
      return {
        ...baseConfig(world, PORTS.catalog, sqliteMemory),
        catalog: {
          // The bench's catalog never changes; its refresh loop would only
          // compete for the cores with whatever is being measured.
          processingInterval: { minutes: 30 },
          rules: [{ allow: ['Component', 'Location'] }],
          locations: [{ type: 'file', target: world.catalogFile }],
        },
      };
    case 'ours':
      return {
        ...baseConfig(
          world,
          PORTS.ours,
          world.postgres
            ? {
                client: 'pg',
                connection: postgresConnection,
                prefix: 'bench_',
              }
            : sqliteMemory,
        ),
        gitops: {
          ...benchProfileConfig(world.repoPath),
          argocd: {
            // No schedule nor size cap: the plugin's defaults (every 30 s,
            // a one-minute budget per poll, the first at once; lists up to
            // 256 MiB, streamed), as installed.
            instances: argocdInstances,
          },
        },
      };
    case 'roadie':
    case 'community':
      // Both READMEs: `argocd.appLocatorMethods` with a config instance and
      // its token ("Using Access Tokens (Recommended)").
      return {
        ...baseConfig(world, PORTS[which], sqliteMemory),
        argocd: {
          appLocatorMethods: [{ type: 'config', instances: argocdInstances }],
        },
      };
    default:
      throw new Error(which);
  }
}

/** The backend's log file (appended to across phases). */
export const logFileOf = (which: BackendId | 'catalog') =>
  path.join(LOGS_DIR, `${which}.log`);

export function startBackend(which: BackendId | 'catalog', world: World) {
  const configFile = path.join(world.workDir, `app-config.${which}.yaml`);
  fs.writeFileSync(configFile, stringify(configFor(which, world)));
  return spawnTs(
    'backendProcess.ts',
    [which, '--config', configFile],
    { NODE_ENV: 'production' },
    logFileOf(which),
    process.env.BENCH_CPU_PROFILE && which !== 'catalog'
      ? ['--cpu-prof', `--cpu-prof-dir=${LOGS_DIR}`]
      : [],
  );
}

export function clientFor(which: BackendId, world: World): BenchClient {
  const url = `http://127.0.0.1:${PORTS[which]}`;
  if (which === 'ours') return oursClient(url, world.token);
  if (which === 'roadie') return roadieClient(url, world.token);
  return communityClient(url, world.token);
}

/** Drops our backend's database, so that its next start is a first one. */
export async function resetOursDatabase(world: World) {
  if (!world.postgres) return;
  const knex = knexFactory({
    client: 'pg',
    connection: { ...postgresConnection, database: 'postgres' },
  });
  try {
    await knex.raw(`DROP DATABASE IF EXISTS ${OURS_DATABASE} WITH (FORCE)`);
  } finally {
    await knex.destroy();
  }
}

/** Writes the GitOps repository (1 folder per service, by the golden path's own generator) and the catalog file. */
export function prepareWorld(settings: BenchSettings, world: World) {
  const profile = readPlatformProfile(
    new ConfigReader({ gitops: benchProfileConfig(world.repoPath) }),
  );
  for (let i = 0; i < settings.services; i++) {
    const generated = generateService(benchServiceInput(i), profile);
    for (const file of generated.files) {
      const target = path.join(
        world.repoPath,
        generated.service.targetPath,
        file.path,
      );
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, file.content);
    }
  }
  // A GitOps repository is a git repository: committed, so the status
  // backend sees its version (HEAD) and re-reads it only when it moves.
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: world.repoPath, stdio: 'ignore' });
  git('init', '--quiet', '--initial-branch', 'main');
  git('add', '--all');
  git(
    '-c',
    'user.name=Bench',
    '-c',
    'user.email=bench@example.invalid',
    'commit',
    '--quiet',
    '--message',
    `${settings.services} services`,
  );
  const docs = Array.from({ length: settings.services }, (_, i) =>
    stringify(benchComponent(i, settings.teamSize)),
  );
  fs.writeFileSync(world.catalogFile, docs.join('---\n'));
}

export async function waitForCatalog(world: World, count: number) {
  const start = process.hrtime.bigint();
  for (;;) {
    try {
      const response = await fetch(
        `http://127.0.0.1:${PORTS.catalog}/api/catalog/entities/by-query?filter=kind=component&limit=1`,
        { headers: { Authorization: `Bearer ${world.token}` } },
      );
      if (response.ok) {
        const body = await response.json();
        if (body.totalItems >= count) return elapsedMs(start);
      }
    } catch {
      // not listening yet
    }
    if (elapsedMs(start) > 300_000) {
      throw new Error(
        `the catalog did not ingest ${count} components in 5 minutes`,
      );
    }
    await sleep(250);
  }
}

export function catalogRequest(world: World, route: string, body?: object) {
  return getJson(
    `http://127.0.0.1:${PORTS.catalog}/api/catalog${route}`,
    world.token,
    body ? { method: 'POST', body: JSON.stringify(body) } : undefined,
  );
}
