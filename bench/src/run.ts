/*
 * The benchmark: this project's GitOps status backend next to the Argo CD
 * backends users would otherwise install, each in a process of its own,
 * against fake Argo CD instances; and the golden path's scaffolder actions.
 *
 *   scripts/bench.sh            (from the repository root)
 *
 * Settings come from BENCH_* environment variables (see bench/README.md).
 * Writes bench/results/latest.json and bench/results/latest.md.
 *
 * Phases: the actions; 3,000 applications in one fake (every measure);
 * 30,000 in it; then the huge phase (hugePhase.ts), 100,000 in ten fakes.
 */
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchPromoteAction, benchServiceCreateAction } from './actionBench';
import type { BackendId } from './clients';
import { FakeArgoCd, fleetPort } from './fakeFleet';
import { measureHugePhase } from './hugePhase';
import { afterGcKeys, measurePhase } from './measure';
import {
  INSPECTOR_PORT,
  LOGS_DIR,
  RESULTS_DIR,
  log,
  portAnswers,
  stop,
  waitForIdle,
} from './processes';
import { renderMarkdown } from './report';
import { BackendResult, BenchResults, wrongAnswers } from './results';
import { ARGOCD_INSTANCE } from './scenario';
import { readSettings } from './settings';
import { buildOurs, OURS_PACKAGES } from './oursBuild';
import { elapsedMs, median } from './stats';
import {
  FLEET_BASE_PORT,
  PORTS,
  prepareWorld,
  resetOursDatabase,
  startBackend,
  waitForCatalog,
  World,
} from './world';

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

/** Seconds of each part of the run, for the report and the 10-minute budget. */
function phaseClock() {
  const seconds: Record<string, number> = {};
  let mark = process.hrtime.bigint();
  return {
    seconds,
    lap(phase: string) {
      seconds[phase] = elapsedMs(mark) / 1000;
      mark = process.hrtime.bigint();
      log(`${phase}: ${seconds[phase].toFixed(0)} s`);
    },
  };
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
  const clock = phaseClock();
  fs.mkdirSync(LOGS_DIR, { recursive: true });
  for (const f of fs.readdirSync(LOGS_DIR)) {
    fs.rmSync(path.join(LOGS_DIR, f));
  }
  const ports = [
    ...Object.values(PORTS),
    ...(settings.hugeServices
      ? Array.from({ length: settings.hugeInstances - 1 }, (_, k) =>
          fleetPort(k + 1, FLEET_BASE_PORT, PORTS.fake),
        )
      : []),
  ];
  for (const port of ports) {
    if (await portAnswers(port)) {
      throw new Error(
        `port ${port} is in use; the benchmark needs ports ${ports.join(', ')}`,
      );
    }
  }

  if (await portAnswers(INSPECTOR_PORT)) {
    log(
      `port ${INSPECTOR_PORT} is in use: the RSS after a full GC (taken through each backend's inspector on that port) will not be measured`,
    );
  }

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-bench-'));
  const world: World = {
    workDir,
    token: crypto.randomBytes(24).toString('hex'),
    argocdToken: crypto.randomBytes(24).toString('hex'),
    instances: [
      { name: ARGOCD_INSTANCE, url: `http://127.0.0.1:${PORTS.fake}` },
    ],
    repoPath: path.join(workDir, 'gitops-repo'),
    catalogFile: path.join(workDir, 'catalog.yaml'),
    postgres: await portAnswers(5432),
  };

  log(`scaffolder action: ${settings.actionRuns} runs`);
  const action = await benchServiceCreateAction({ runs: settings.actionRuns });
  log(`promote action: ${settings.actionRuns} runs`);
  const promote = await benchPromoteAction({ runs: settings.actionRuns });
  clock.lap('actions');

  log(
    `writing ${settings.services} services into a GitOps repository and the catalog file`,
  );
  prepareWorld(settings, world);
  log(`building ours as it ships: ${OURS_PACKAGES.join(', ')}`);
  buildOurs();

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
    fake = await FakeArgoCd.start({
      port: PORTS.fake,
      token: world.argocdToken,
      latencyMs: settings.latencyMs,
      logFile: path.join(LOGS_DIR, 'fake-argocd.log'),
    });
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
    clock.lap('setup');

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
        ...afterGcKeys(r.afterGc),
      };
      log(
        `${r.which}: entity p50 ${r.entity.p50.toFixed(
          1,
        )} ms p95 ${r.entity.p95.toFixed(1)} ms, team ${r.team.ms.toFixed(
          0,
        )} ms, RSS ${r.memory.rssMiB.toFixed(0)} MiB (after a full GC ${
          r.afterGc ? r.afterGc.rssMiB.toFixed(0) : 'n/a'
        })`,
      );
    }
    clock.lap('main');

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
          ...afterGcKeys(r.afterGc),
          entityP50: r.entity.p50,
          teamMs: r.team.ms,
          wrong: r.entity.wrong + (r.team.components - r.team.correct),
        };
        log(
          `${r.which}: RSS ${r.memory.rssMiB.toFixed(0)} MiB (after a full GC ${
            r.afterGc ? r.afterGc.rssMiB.toFixed(0) : 'n/a'
          })`,
        );
      }
      clock.lap('large');
    }

    if (settings.hugeServices > 0) {
      const huge = await measureHugePhase({
        backends,
        world,
        first: fake,
        settings,
      });
      for (const [which, h] of Object.entries(huge)) {
        results[which as BackendId]!.huge = h;
      }
      clock.lap('huge');
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
    phaseSeconds: clock.seconds,
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
  const wrong = Object.values(out.backends).filter(r => wrongAnswers(r) > 0);
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
