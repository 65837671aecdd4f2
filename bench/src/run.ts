/*
 * The benchmark: this project's GitOps status backend next to the Argo CD
 * backends users would otherwise install, each in a process of its own,
 * against one fake Argo CD; and the golden path's scaffolder action.
 *
 *   scripts/bench.sh            (from the repository root)
 *
 * Settings come from BENCH_* environment variables (see bench/README.md).
 * Writes bench/results/latest.json and bench/results/latest.md.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  generateService,
  readPlatformProfile,
} from '@goldenpath/plugin-gitops-node';
import { ChildProcess, execFileSync, fork } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { stringify } from 'yaml';
import { benchPromoteAction, benchServiceCreateAction } from './actionBench';
import {
  BackendId,
  BenchClient,
  communityClient,
  getJson,
  oursClient,
  roadieClient,
} from './clients';
import type { FakeCounts, FakeRequest } from './fakeArgoCdProcess';
import {
  BackendResult,
  BenchResults,
  BenchSettings,
  renderMarkdown,
  TEAM_WARMUP_RUNS,
} from './report';
import {
  ARGOCD_INSTANCE,
  benchComponent,
  benchProfileConfig,
  benchServiceInput,
  serviceName,
} from './scenario';
import { elapsedMs, median, percentile } from './stats';

const BENCH_DIR = resolvePackagePath('@internal/bench');
const SRC_DIR = path.join(BENCH_DIR, 'src');
// BENCH_RESULTS_DIR: elsewhere than bench/results (the test command's smoke run).
const RESULTS_DIR = path.resolve(
  process.env.BENCH_RESULTS_DIR || path.join(BENCH_DIR, 'results'),
);
const NODE_TRANSFORM = require.resolve(
  '@backstage/cli/config/nodeTransform.cjs',
);

const PORTS = {
  fake: 7200,
  catalog: 7201,
  ours: 7202,
  roadie: 7203,
  community: 7204,
};

function readSettings(): BenchSettings {
  const int = (name: string, fallback: number) => {
    const raw = process.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
    }
    return value;
  };
  return {
    services: int('BENCH_SERVICES', 1000),
    largeServices: int('BENCH_LARGE_SERVICES', 10000),
    latencyMs: int('BENCH_LATENCY_MS', 25),
    entityRequests: int('BENCH_ENTITY_REQUESTS', 200),
    teamSize: int('BENCH_TEAM_SIZE', 200),
    teamRepeats: int('BENCH_TEAM_REPEATS', 10),
    actionRuns: int('BENCH_ACTION_RUNS', 20),
    warmupMs: int('BENCH_WARMUP_MS', 3000),
    pollIntervalSeconds: 30,
    browserConnections: 6,
  };
}

const log = (message: string) =>
  // eslint-disable-next-line no-console
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function spawnTs(
  file: string,
  args: string[],
  env: Record<string, string>,
  logFile: string,
  nodeOptions: string[] = [],
): ChildProcess {
  const out = fs.openSync(logFile, 'a');
  return fork(path.join(SRC_DIR, file), args, {
    execArgv: ['--require', NODE_TRANSFORM, ...nodeOptions],
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out, 'ipc'],
  });
}

async function stop(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(r => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** CPU time (user + system) a process has used, in ms. */
function cpuMsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/**
 * Waits until the process is idle (under 5% of a core over half a second):
 * what it does in the background after start (loading caches) is over, so
 * warm measurements measure requests only.
 */
async function waitForIdle(pid: number) {
  const start = process.hrtime.bigint();
  let before = cpuMsOf(pid);
  while (elapsedMs(start) < 120_000) {
    await sleep(500);
    const now = cpuMsOf(pid);
    if (now - before < 25) return elapsedMs(start);
    before = now;
  }
  return elapsedMs(start);
}

function memoryOf(pid: number) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

async function portAnswers(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

class FakeArgoCd {
  private nextId = 1;
  private readonly pending = new Map<number, (body: any) => void>();

  private constructor(readonly child: ChildProcess) {
    child.on('message', (m: { id: number; body: unknown }) => {
      this.pending.get(m.id)?.(m.body);
      this.pending.delete(m.id);
    });
  }

  static async start(token: string, latencyMs: number, logFile: string) {
    const child = spawnTs(
      'fakeArgoCdProcess.ts',
      [],
      {
        BENCH_FAKE_PORT: String(PORTS.fake),
        BENCH_ARGOCD_TOKEN: token,
        BENCH_LATENCY_MS: String(latencyMs),
      },
      logFile,
    );
    const fake = new FakeArgoCd(child);
    const ready = new Promise<void>(resolve =>
      fake.pending.set(0, () => resolve()),
    );
    await ready;
    return fake;
  }

  send<T>(command: FakeRequest): Promise<T> {
    const id = this.nextId++;
    return new Promise(resolve => {
      this.pending.set(id, resolve);
      this.child.send({ ...command, id });
    });
  }

  load = (services: number) => this.send({ cmd: 'load', services });
  reset = () => this.send({ cmd: 'reset' });
  counts = () => this.send<FakeCounts>({ cmd: 'counts' });
}

interface World {
  workDir: string;
  token: string;
  argocdToken: string;
  fakeUrl: string;
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

function configFor(which: BackendId | 'catalog', world: World) {
  const argocdInstances = [
    { name: ARGOCD_INSTANCE, url: world.fakeUrl, token: world.argocdToken },
  ];
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
            pollInterval: { seconds: 30 },
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

function startBackend(which: BackendId | 'catalog', world: World) {
  const configFile = path.join(world.workDir, `app-config.${which}.yaml`);
  fs.writeFileSync(configFile, stringify(configFor(which, world)));
  const child = spawnTs(
    'backendProcess.ts',
    [which, '--config', configFile],
    { NODE_ENV: 'production' },
    path.join(RESULTS_DIR, 'logs', `${which}.log`),
    process.env.BENCH_CPU_PROFILE && which !== 'catalog'
      ? ['--cpu-prof', `--cpu-prof-dir=${path.join(RESULTS_DIR, 'logs')}`]
      : [],
  );
  return child;
}

function clientFor(which: BackendId, world: World): BenchClient {
  const url = `http://127.0.0.1:${PORTS[which]}`;
  if (which === 'ours') return oursClient(url, world.token);
  if (which === 'roadie') return roadieClient(url, world.token);
  return communityClient(url, world.token);
}

async function resetOursDatabase(world: World) {
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
function prepareWorld(settings: BenchSettings, world: World) {
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

async function waitForCatalog(world: World, count: number) {
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

function catalogRequest(world: World, route: string, body?: object) {
  return getJson(
    `http://127.0.0.1:${PORTS.catalog}/api/catalog${route}`,
    world.token,
    body ? { method: 'POST', body: JSON.stringify(body) } : undefined,
  );
}

/** Runs `view` at least `runs` times and for at least `settings.warmupMs`. */
async function warmUp(
  settings: BenchSettings,
  runs: number,
  view: (k: number) => Promise<unknown>,
) {
  const start = process.hrtime.bigint();
  for (let k = 0; k < runs || elapsedMs(start) < settings.warmupMs; k++) {
    await view(k);
  }
}

/** Polls one entity view from process start until the answer is right. */
async function coldStart(client: BenchClient, startedAt: bigint) {
  let last: string | undefined = 'no answer';
  while (elapsedMs(startedAt) < 180_000) {
    last = await client.entity(0);
    if (last === undefined) return elapsedMs(startedAt);
    await sleep(20);
  }
  throw new Error(`${client.id}: no correct answer within 180 s: ${last}`);
}

interface Running {
  which: BackendId;
  child: ChildProcess;
  client: BenchClient;
  coldStartMs: number;
  settleMs: number;
}

/**
 * Starts a backend alone (nothing else is measured meanwhile) and times it
 * from spawning to its first correct answer; then waits until it is idle.
 */
async function startMeasured(
  which: BackendId,
  world: World,
  fake: FakeArgoCd,
): Promise<Running> {
  if (which === 'ours') await resetOursDatabase(world);
  await fake.reset();
  const startedAt = process.hrtime.bigint();
  const child = startBackend(which, world);
  const client = clientFor(which, world);
  try {
    const coldStartMs = await coldStart(client, startedAt);
    const settleMs = await waitForIdle(child.pid!);
    return { which, child, client, coldStartMs, settleMs };
  } catch (e) {
    await stop(child);
    throw e;
  }
}

/** Counts the fake's requests made while `fn` runs (nothing else calls it then). */
async function counted<T>(fake: FakeArgoCd, fn: () => Promise<T>) {
  const before = await fake.counts();
  const value = await fn();
  const after = await fake.counts();
  return {
    value,
    total: after.total - before.total,
    listAll: after.listAll - before.listAll,
  };
}

/** Starts at `k` in the list, so that no backend always goes first. */
const rotate = <T>(list: T[], k: number) =>
  list.map((_, i) => list[(i + k) % list.length]);

/**
 * Measures the running backends interleaved, request by request, so that
 * whatever else the machine does at a moment weighs on all of them alike.
 */
async function measureInterleaved(
  running: Running[],
  world: World,
  fake: FakeArgoCd,
  settings: BenchSettings,
  workload: { entityRequests: number; teamRepeats: number },
) {
  const services = settings.services;
  // Warm-up: at least 20 views and warmupMs for every backend, so each is
  // measured JIT-warm, as a portal serving users all day is.
  for (const r of running) {
    await warmUp(settings, 20, k => r.client.entity((k * 37) % services));
  }

  const per = new Map(
    running.map(r => [
      r.which,
      {
        latencies: [] as number[],
        wrong: 0,
        firstWrong: undefined as string | undefined,
        upstream: 0,
        polls: 0,
        teamTimes: [] as number[],
        teamCorrect: Infinity,
        teamUpstream: 0,
        teamPolls: 0,
        firstTeamMs: NaN,
      },
    ]),
  );

  for (let k = 0; k < workload.entityRequests; k++) {
    const index = (k * 7919) % services;
    for (const r of rotate(running, k)) {
      const m = per.get(r.which)!;
      const c = await counted(fake, async () => {
        const t = process.hrtime.bigint();
        const error = await r.client.entity(index);
        return { ms: elapsedMs(t), error };
      });
      m.latencies.push(c.value.ms);
      m.upstream += c.total;
      m.polls += c.listAll;
      if (c.value.error) {
        m.wrong++;
        m.firstWrong ??= `${index}: ${c.value.error}`;
      }
    }
  }

  const team = Array.from(
    { length: Math.min(settings.teamSize, services) },
    (_, i) => i,
  );
  for (const r of running) {
    const m = per.get(r.which)!;
    const t = process.hrtime.bigint();
    await r.client.team(team);
    m.firstTeamMs = elapsedMs(t);
    await warmUp(settings, TEAM_WARMUP_RUNS - 1, () => r.client.team(team));
  }
  for (let run = 0; run < workload.teamRepeats; run++) {
    for (const r of rotate(running, run)) {
      const m = per.get(r.which)!;
      const c = await counted(fake, async () => {
        const t = process.hrtime.bigint();
        const correct = await r.client.team(team);
        return { ms: elapsedMs(t), correct };
      });
      m.teamTimes.push(c.value.ms);
      m.teamCorrect = Math.min(m.teamCorrect, c.value.correct);
      m.teamUpstream += c.total;
      m.teamPolls += c.listAll;
    }
  }

  // How much of our answer is the catalog's: the same lookups, made
  // directly (ours asks the catalog for the entities on the caller's behalf).
  let catalogMs: { entity: number; team: number } | undefined;
  if (per.has('ours')) {
    const entityTimes: number[] = [];
    for (let k = 0; k < 50; k++) {
      const t = process.hrtime.bigint();
      await catalogRequest(
        world,
        `/entities/by-name/component/default/${serviceName(
          (k * 7919) % services,
        )}`,
      );
      entityTimes.push(elapsedMs(t));
    }
    const teamTimes: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t = process.hrtime.bigint();
      await catalogRequest(world, '/entities/by-refs', {
        entityRefs: team.map(i => `component:default/${serviceName(i)}`),
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
        ],
      });
      teamTimes.push(elapsedMs(t));
    }
    catalogMs = { entity: median(entityTimes), team: median(teamTimes) };
  }

  return running.map(r => {
    const m = per.get(r.which)!;
    const requests = Math.max(1, m.latencies.length);
    const runs = Math.max(1, m.teamTimes.length);
    const memory = memoryOf(r.child.pid!);
    return {
      which: r.which,
      coldStartMs: r.coldStartMs,
      settleMs: r.settleMs,
      catalogMs: r.which === 'ours' ? catalogMs : undefined,
      entity: {
        requests: m.latencies.length,
        p50: percentile(m.latencies, 50),
        p95: percentile(m.latencies, 95),
        p99: percentile(m.latencies, 99),
        backgroundPolls: m.polls,
        causedPerRequest: (m.upstream - m.polls) / requests,
        wrong: m.wrong,
        firstWrong: m.firstWrong,
      },
      team: {
        components: team.length,
        ms: median(m.teamTimes),
        firstMs: m.firstTeamMs,
        correct: Number.isFinite(m.teamCorrect) ? m.teamCorrect : 0,
        backgroundPolls: m.teamPolls,
        causedPerView: (m.teamUpstream - m.teamPolls) / runs,
      },
      memory,
    };
  });
}

/** Starts each backend alone (timing its cold start), then measures them together. */
async function measurePhase(
  backends: BackendId[],
  world: World,
  fake: FakeArgoCd,
  settings: BenchSettings,
  workload: { entityRequests: number; teamRepeats: number },
) {
  const running: Running[] = [];
  try {
    for (const which of backends) {
      const r = await startMeasured(which, world, fake);
      log(
        `${which}: first correct answer after ${(r.coldStartMs / 1000).toFixed(
          2,
        )} s, idle ${(r.settleMs / 1000).toFixed(1)} s later`,
      );
      running.push(r);
    }
    return await measureInterleaved(running, world, fake, settings, workload);
  } finally {
    for (const r of running) await stop(r.child);
  }
}

function machine() {
  const kubectl = (() => {
    try {
      return execFileSync('kubectl', ['version', '--client', '-o', 'json'], {
        encoding: 'utf8',
      });
    } catch {
      return undefined;
    }
  })();
  return {
    cpu: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    kubectl: kubectl
      ? JSON.parse(kubectl).clientVersion?.gitVersion
      : 'not found',
  };
}

function packageVersion(name: string) {
  return JSON.parse(
    fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8'),
  ).version as string;
}

async function main() {
  if (process.argv.includes('--render')) {
    // Re-renders latest.md from latest.json (the same run), after a change
    // to the report's wording.
    const saved: BenchResults = JSON.parse(
      fs.readFileSync(path.join(RESULTS_DIR, 'latest.json'), 'utf8'),
    );
    fs.writeFileSync(
      path.join(RESULTS_DIR, 'latest.md'),
      renderMarkdown(saved),
    );
    return;
  }
  const settings = readSettings();
  const startedAt = process.hrtime.bigint();
  fs.mkdirSync(path.join(RESULTS_DIR, 'logs'), { recursive: true });
  for (const f of fs.readdirSync(path.join(RESULTS_DIR, 'logs'))) {
    fs.rmSync(path.join(RESULTS_DIR, 'logs', f));
  }
  for (const port of Object.values(PORTS)) {
    if (await portAnswers(port)) {
      throw new Error(
        `port ${port} is in use; the benchmark needs ports ${Object.values(
          PORTS,
        ).join(', ')}`,
      );
    }
  }

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-bench-'));
  const world: World = {
    workDir,
    token: crypto.randomBytes(24).toString('hex'),
    argocdToken: crypto.randomBytes(24).toString('hex'),
    fakeUrl: `http://127.0.0.1:${PORTS.fake}`,
    repoPath: path.join(workDir, 'gitops-repo'),
    catalogFile: path.join(workDir, 'catalog.yaml'),
    postgres: await portAnswers(5432),
  };

  log(`scaffolder action: ${settings.actionRuns} runs`);
  const action = await benchServiceCreateAction({ runs: settings.actionRuns });
  log(`promote action: ${settings.actionRuns} runs`);
  const promote = await benchPromoteAction({ runs: settings.actionRuns });

  log(
    `writing ${settings.services} services into a GitOps repository and the catalog file`,
  );
  prepareWorld(settings, world);

  let fake: FakeArgoCd | undefined;
  let catalog: ChildProcess | undefined;
  const backends = (
    process.env.BENCH_BACKENDS ?? 'ours,roadie,community'
  ).split(',') as BackendId[];
  for (const id of backends) {
    if (!['ours', 'roadie', 'community'].includes(id)) {
      throw new Error(`BENCH_BACKENDS: unknown backend "${id}"`);
    }
  }
  const results: Partial<Record<BackendId, BackendResult>> = {};
  try {
    fake = await FakeArgoCd.start(
      world.argocdToken,
      settings.latencyMs,
      path.join(RESULTS_DIR, 'logs', 'fake-argocd.log'),
    );
    await fake.load(settings.services);
    catalog = startBackend('catalog', world);
    const catalogMs = await waitForCatalog(world, settings.services);
    // Stitching goes on after the entities are listed: let it finish, so no
    // backend is measured against a catalog still busy ingesting.
    const catalogSettleMs = await waitForIdle(catalog.pid!);
    log(`catalog idle after ${(catalogSettleMs / 1000).toFixed(1)} s more`);
    log(
      `catalog: ${settings.services} components in ${(catalogMs / 1000).toFixed(
        1,
      )} s`,
    );

    log(`${settings.services * 3} applications`);
    for (const r of await measurePhase(backends, world, fake, settings, {
      entityRequests: settings.entityRequests,
      teamRepeats: settings.teamRepeats,
    })) {
      results[r.which] = {
        id: r.which,
        coldStartMs: r.coldStartMs,
        settleMs: r.settleMs,
        catalogMs: r.catalogMs,
        entity: r.entity,
        team: r.team,
        rssMiB: r.memory.rssMiB,
        peakRssMiB: r.memory.peakMiB,
      };
      log(
        `${r.which}: entity p50 ${r.entity.p50.toFixed(
          1,
        )} ms p95 ${r.entity.p95.toFixed(1)} ms, team ${r.team.ms.toFixed(
          0,
        )} ms, RSS ${r.memory.rssMiB.toFixed(0)} MiB`,
      );
    }

    if (settings.largeServices > 0) {
      await fake.load(settings.largeServices);
      log(`${settings.largeServices * 3} applications`);
      for (const r of await measurePhase(backends, world, fake, settings, {
        entityRequests: 50,
        teamRepeats: 1,
      })) {
        results[r.which]!.large = {
          coldStartMs: r.coldStartMs,
          rssMiB: r.memory.rssMiB,
          peakRssMiB: r.memory.peakMiB,
          entityP50: r.entity.p50,
          teamMs: r.team.ms,
          wrong: r.entity.wrong + (r.team.components - r.team.correct),
        };
        log(`${r.which}: RSS ${r.memory.rssMiB.toFixed(0)} MiB`);
      }
    }
  } finally {
    await stop(catalog);
    await stop(fake?.child);
    await resetOursDatabase(world).catch(() => {});
    fs.rmSync(workDir, { recursive: true, force: true });
  }

  const out: BenchResults = {
    date: new Date().toISOString(),
    machine: machine(),
    settings,
    database: world.postgres
      ? 'PostgreSQL (127.0.0.1:5432)'
      : 'SQLite in memory',
    versions: {
      ours: packageVersion('@goldenpath/plugin-gitops-backend'),
      roadie: packageVersion('@roadiehq/backstage-plugin-argo-cd-backend'),
      community: packageVersion('@backstage-community/plugin-argocd-backend'),
      backstageBackendDefaults: packageVersion('@backstage/backend-defaults'),
    },
    backends: results as Record<BackendId, BackendResult>,
    action: {
      runs: action.runsMs.length,
      p50: median(action.runsMs),
      max: Math.max(...action.runsMs),
      renderedObjects: action.renderedObjects,
    },
    promote: {
      runs: promote.runsMs.length,
      p50: median(promote.runsMs),
      max: Math.max(...promote.runsMs),
    },
    durationSeconds: elapsedMs(startedAt) / 1000,
  };
  fs.writeFileSync(
    path.join(RESULTS_DIR, 'latest.json'),
    `${JSON.stringify(out, null, 2)}\n`,
  );
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.md'), renderMarkdown(out));
  log(
    `done in ${out.durationSeconds.toFixed(0)} s: ${path.join(
      RESULTS_DIR,
      'latest.md',
    )}`,
  );
  // eslint-disable-next-line no-console
  console.log(renderMarkdown(out));
  const wrong = Object.values(out.backends).filter(
    r =>
      r.entity.wrong > 0 ||
      r.team.correct < r.team.components ||
      r.large?.wrong,
  );
  if (wrong.length > 0) {
    // eslint-disable-next-line no-console
    console.error(
      `wrong answers from ${wrong.map(r => r.id).join(', ')}: see the report`,
    );
    process.exitCode = 1;
  }
}

main().catch(e => {
  // eslint-disable-next-line no-console
  console.error(e);
  process.exit(1);
});
