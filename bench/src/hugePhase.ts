/*
 * The huge phase: hugeServices x 3 applications spread over hugeInstances
 * fake Argo CD instances (one process and port each), every backend
 * configured with all of them; then ours restarted on its database.
 */
import type { BackendId } from './clients';
import { FakeArgoCd, FakeFleet } from './fakeFleet';
import {
  afterGcKeys,
  measureAfterGc,
  measurePhase,
  Measured,
  startMeasured,
} from './measure';
import { logOffset, readPollCycle } from './pollCycle';
import { log, memoryOf, stop } from './processes';
import { BenchSettings, HUGE_WORKLOAD, HugeResult } from './results';
import { FLEET_BASE_PORT, logFileOf, World } from './world';

/** Views made by the restarted replica once idle, each checked. */
const RESTART_CHECK_VIEWS = 50;

function hugeResult(
  m: Measured,
  base: { applications: number; instances: number },
): HugeResult {
  return {
    ...base,
    coldStartMs: m.coldStartMs,
    settleMs: m.settleMs,
    rssMiB: m.memory.rssMiB,
    peakRssMiB: m.memory.peakMiB,
    ...afterGcKeys(m.afterGc),
    entityP50: m.entity.p50,
    entityP95: m.entity.p95,
    teamMs: m.team.ms,
    wrong: m.entity.wrong + (m.team.components - m.team.correct),
    ...(m.entity.firstWrong ? { firstWrong: m.entity.firstWrong } : {}),
    ...(m.wrongBeforeCorrect
      ? { wrongBeforeCorrect: m.wrongBeforeCorrect }
      : {}),
    firstCorrectRequestMs: m.firstCorrectRequestMs,
  };
}

/**
 * Starts ours again (its measured process stopped with SIGTERM by then) on
 * the same database, the fakes unchanged: from spawning to the first
 * correct answer, then idle, a few checked views, memory; then stops it.
 */
async function restartOurs(
  world: World,
  fleet: FakeFleet,
  settings: BenchSettings,
): Promise<Pick<HugeResult, 'restartColdStartMs' | 'restart'>> {
  const offset = logOffset(logFileOf('ours'));
  let r;
  try {
    r = await startMeasured('ours', world, fleet, { keepDatabase: true });
  } catch (e) {
    const error = String((e as Error)?.message ?? e);
    log(`ours: restart: ${error}`);
    return { restartColdStartMs: null, restart: { error } };
  }
  try {
    log(
      `ours: restarted on its database: first correct answer after ${(
        r.coldStartMs / 1000
      ).toFixed(2)} s, idle ${(r.settleMs / 1000).toFixed(1)} s later`,
    );
    let wrong = 0;
    let firstWrong: string | undefined;
    for (let k = 0; k < RESTART_CHECK_VIEWS; k++) {
      const index = (k * 7919) % settings.services;
      const error = await r.client.entity(index);
      if (error) {
        wrong++;
        firstWrong ??= `${index}: ${error}`;
      }
    }
    const team = Array.from(
      { length: Math.min(settings.teamSize, settings.services) },
      (_, i) => i,
    );
    const teamWrong = team.length - (await r.client.team(team));
    if (teamWrong > 0) firstWrong ??= `${teamWrong} of the team view`;
    wrong += teamWrong;
    const memory = memoryOf(r.child.pid!);
    const afterGc = await measureAfterGc(
      'ours (restarted)',
      r.child.pid!,
      memory.rssMiB,
      logFileOf('ours'),
    );
    const cycle = readPollCycle(logFileOf('ours'), offset);
    return {
      restartColdStartMs: r.coldStartMs,
      restart: {
        ...(r.wrongBeforeCorrect
          ? { wrongBeforeCorrect: r.wrongBeforeCorrect }
          : {}),
        firstCorrectRequestMs: r.firstCorrectRequestMs,
        settleMs: r.settleMs,
        rssMiB: memory.rssMiB,
        peakRssMiB: memory.peakMiB,
        ...afterGcKeys(afterGc),
        pollCycleMs: cycle?.ms ?? null,
        wrong,
        ...(firstWrong ? { firstWrong } : {}),
      },
    };
  } finally {
    await stop(r.child);
  }
}

export async function measureHugePhase(options: {
  backends: BackendId[];
  world: World;
  /** The fake of the other phases: the fleet's first instance. */
  first: FakeArgoCd;
  settings: BenchSettings;
}): Promise<Partial<Record<BackendId, HugeResult>>> {
  const { backends, world, first, settings } = options;
  const services = settings.hugeServices ?? 0;
  const instances = settings.hugeInstances ?? 1;
  const fleet = await FakeFleet.start({
    first,
    services,
    instances,
    basePort: FLEET_BASE_PORT,
    token: world.argocdToken,
    latencyMs: settings.latencyMs,
  });
  const previous = world.instances;
  try {
    world.instances = fleet.members.map(m => ({
      name: m.name,
      url: m.fake.url,
    }));
    const base = { applications: fleet.applications, instances };
    log(
      `${base.applications} applications in ${instances} fake Argo CD instances`,
    );
    const oursOffset = logOffset(logFileOf('ours'));
    const notRun: Partial<Record<BackendId, string>> = {};
    const measured = await measurePhase(
      backends,
      world,
      fleet,
      settings,
      HUGE_WORKLOAD,
      notRun,
    );
    const out: Partial<Record<BackendId, HugeResult>> = {};
    for (const [which, why] of Object.entries(notRun)) {
      out[which as BackendId] = { ...base, notRun: why };
    }
    for (const m of measured) {
      out[m.which] = hugeResult(m, base);
      log(
        `${m.which}: RSS ${m.memory.rssMiB.toFixed(
          0,
        )} MiB (peak ${m.memory.peakMiB.toFixed(0)}; after a full GC ${
          m.afterGc ? m.afterGc.rssMiB.toFixed(0) : 'n/a'
        }), entity p50 ${m.entity.p50.toFixed(1)} ms, team ${m.team.ms.toFixed(
          0,
        )} ms`,
      );
    }
    const ours = out.ours;
    if (ours && !ours.notRun) {
      // The cold start's first full cycle: the first line after its spawn.
      const cycle = readPollCycle(logFileOf('ours'), oursOffset);
      ours.pollCycleMs = cycle?.ms ?? null;
      ours.pollCycle = cycle
        ? {
            providers: cycle.providers,
            resources: cycle.resources,
            failed: cycle.failed,
          }
        : null;
      log(
        cycle
          ? `ours: first poll cycle ${cycle.ms} ms (${cycle.providers} providers, ${cycle.resources} resources, ${cycle.failed} failed)`
          : 'ours: no "GitOps poll cycle" line in its log: poll cycle not measured',
      );
      Object.assign(ours, await restartOurs(world, fleet, settings));
    } else if (ours) {
      ours.pollCycleMs = null;
      ours.restartColdStartMs = null;
    }
    return out;
  } finally {
    world.instances = previous;
    await fleet.stopAdded();
  }
}
