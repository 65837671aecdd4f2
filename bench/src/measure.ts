/*
 * The measurements: a backend's cold start alone, then the running backends
 * measured together, request by request in turn.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { BackendId, BenchClient } from './clients';
import type { Upstream } from './fakeFleet';
import {
  log,
  LOGS_DIR,
  memoryAfterGc,
  MemoryAfterGc,
  memoryOf,
  sleep,
  stop,
  waitForIdle,
} from './processes';
import { logOffset, waitForPollCycle } from './pollCycle';
import { BenchSettings, TEAM_WARMUP_RUNS } from './results';
import { serviceName } from './scenario';
import { elapsedMs, median, percentile } from './stats';
import {
  catalogRequest,
  clientFor,
  logFileOf,
  resetOursDatabase,
  startBackend,
  World,
} from './world';

/**
 * How long to wait for ours' poll cycle to end before its memory at rest:
 * longer than its interval (30 s) plus a cycle at the huge size.
 */
const POLL_CYCLE_WAIT_MS = 60_000;

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

/**
 * Polls one entity view from process start until the answer is right. Also
 * gives the last answer before that which was not right (or an HTTP error;
 * not listening yet does not count), and how long the right one took (a
 * backend may hold its first requests until it can answer).
 */
async function coldStart(
  client: BenchClient,
  startedAt: bigint,
  child: ChildProcess,
) {
  let last: string | undefined = 'no answer';
  let wrong: string | undefined;
  while (elapsedMs(startedAt) < 180_000) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${client.id}: exited (${
          child.exitCode ?? child.signalCode
        }) before a correct answer: ${last}`,
      );
    }
    const asked = process.hrtime.bigint();
    last = await client.entity(0);
    if (last === undefined) {
      return { ms: elapsedMs(startedAt), wrong, requestMs: elapsedMs(asked) };
    }
    if (!last.includes('ECONNREFUSED')) wrong = last;
    await sleep(20);
  }
  throw new Error(`${client.id}: no correct answer within 180 s: ${last}`);
}

export interface Running {
  which: BackendId;
  child: ChildProcess;
  client: BenchClient;
  coldStartMs: number;
  /** The last wrong answer before the first correct one, if any. */
  wrongBeforeCorrect?: string;
  /** How long the request that got the first correct answer took. */
  firstCorrectRequestMs: number;
  settleMs: number;
}

/**
 * Starts a backend alone (nothing else is measured meanwhile) and times it
 * from spawning to its first correct answer; then waits until it is idle.
 * Ours starts on a fresh database unless `keepDatabase` (a restart).
 */
export async function startMeasured(
  which: BackendId,
  world: World,
  upstream: Upstream,
  options: { keepDatabase?: boolean } = {},
): Promise<Running> {
  if (which === 'ours' && !options.keepDatabase) {
    await resetOursDatabase(world);
  }
  await upstream.reset();
  const startedAt = process.hrtime.bigint();
  const child = startBackend(which, world);
  const client = clientFor(which, world);
  try {
    const first = await coldStart(client, startedAt, child);
    const settleMs = await waitForIdle(child.pid!);
    return {
      which,
      child,
      client,
      coldStartMs: first.ms,
      wrongBeforeCorrect: first.wrong,
      firstCorrectRequestMs: first.requestMs,
      settleMs,
    };
  } catch (e) {
    await stop(child);
    throw e;
  }
}

/** Counts the upstream requests made while `fn` runs (nothing else calls it then). */
async function counted<T>(upstream: Upstream, fn: () => Promise<T>) {
  const before = await upstream.counts();
  const value = await fn();
  const after = await upstream.counts();
  return {
    value,
    total: after.total - before.total,
    listAll: after.listAll - before.listAll,
  };
}

/** Starts at `k` in the list, so that no backend always goes first. */
const rotate = <T>(list: T[], k: number) =>
  list.map((_, i) => list[(i + k) % list.length]);

export interface Workload {
  entityRequests: number;
  teamRepeats: number;
}

export type Measured = Awaited<ReturnType<typeof measureInterleaved>>[number];

/**
 * Measures the running backends interleaved, request by request, so that
 * whatever else the machine does at a moment weighs on all of them alike.
 */
async function measureInterleaved(
  running: Running[],
  world: World,
  upstream: Upstream,
  settings: BenchSettings,
  workload: Workload,
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
      const c = await counted(upstream, async () => {
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
      const c = await counted(upstream, async () => {
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

  // Raw RSS of every backend right after the workload, then each one's
  // after a full GC, one after the other (they share the inspector port).
  const raw = new Map(running.map(r => [r.which, memoryOf(r.child.pid!)]));
  const afterGc = new Map<BackendId, MemoryAfterGc | undefined>();
  for (const r of running) {
    afterGc.set(
      r.which,
      await measureAfterGc(
        r.which,
        r.child.pid!,
        raw.get(r.which)!.rssMiB,
        r.which === 'ours' ? logFileOf('ours') : undefined,
      ),
    );
  }

  return running.map(r => {
    const m = per.get(r.which)!;
    const requests = Math.max(1, m.latencies.length);
    const runs = Math.max(1, m.teamTimes.length);
    const memory = raw.get(r.which)!;
    return {
      which: r.which,
      coldStartMs: r.coldStartMs,
      wrongBeforeCorrect: r.wrongBeforeCorrect,
      firstCorrectRequestMs: r.firstCorrectRequestMs,
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
      afterGc: afterGc.get(r.which),
    };
  });
}

let snapshots = 0;

/**
 * A backend's RSS and heap at rest: once it is idle (a poll in flight has
 * ended; its peak is the peak RSS), a few seconds after a full GC forced
 * through its inspector; undefined (logged with why) when it could not be
 * taken. The raw RSS (`rawRssMiB`, read before) is logged beside it.
 */
export async function measureAfterGc(
  which: string,
  pid: number,
  rawRssMiB: number,
  /** Ours' log: at rest means after a poll cycle has ended, not only idle. */
  pollLog?: string,
): Promise<MemoryAfterGc | undefined> {
  if (pollLog) {
    // Idle is not enough: a poll waiting for Argo CD's answer is idle, and
    // its list arrives during the measurement. Right after a cycle ends,
    // the next one is most of an interval away.
    const waited = await waitForPollCycle(
      pollLog,
      logOffset(pollLog),
      POLL_CYCLE_WAIT_MS,
    );
    log(
      waited === undefined
        ? `${which}: no poll cycle ended within ${
            POLL_CYCLE_WAIT_MS / 1000
          } s; measured once idle`
        : `${which}: a poll cycle ended ${(waited / 1000).toFixed(1)} s later`,
    );
  }
  const waitedMs = await waitForIdle(pid);
  if (waitedMs > 1000) {
    log(`${which}: idle after ${(waitedMs / 1000).toFixed(1)} s more`);
  }
  // BENCH_HEAP_SNAPSHOTS=1: also a heap snapshot after the GC, into the logs.
  const heapSnapshotFile =
    process.env.BENCH_HEAP_SNAPSHOTS === '1'
      ? path.join(LOGS_DIR, `${which}-${++snapshots}.heapsnapshot`)
      : undefined;
  const m = await memoryAfterGc(
    pid,
    why =>
      log(
        `${which}: RSS after a full GC not measured (recorded as null): ${why}`,
      ),
    { heapSnapshotFile },
  );
  if (m) {
    log(
      `${which}: RSS ${rawRssMiB.toFixed(
        0,
      )} MiB, after a full GC ${m.rssMiB.toFixed(
        0,
      )} MiB (heap used ${m.heapUsedMiB.toFixed(0)} MiB; ${Object.entries(
        m.breakdown ?? {},
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}${heapSnapshotFile ? `; ${heapSnapshotFile}` : ''})`,
    );
  }
  return m;
}

/** The after-GC keys of latest.json: null when not measured. */
export const afterGcKeys = (m: MemoryAfterGc | undefined) => ({
  rssAfterGcMiB: m?.rssMiB ?? null,
  heapAfterGcMiB: m?.heapUsedMiB ?? null,
});

/**
 * Starts each backend alone (timing its cold start), then measures them
 * together. A backend that does not start is fatal, unless `notRun` is
 * given: then why is recorded there and the others are measured.
 */
export async function measurePhase(
  backends: BackendId[],
  world: World,
  upstream: Upstream,
  settings: BenchSettings,
  workload: Workload,
  notRun?: Partial<Record<BackendId, string>>,
): Promise<Measured[]> {
  const running: Running[] = [];
  try {
    for (const which of backends) {
      let r: Running;
      try {
        r = await startMeasured(which, world, upstream);
      } catch (e) {
        if (!notRun) throw e;
        notRun[which] = String((e as Error)?.message ?? e);
        log(`${which}: not measured: ${notRun[which]}`);
        continue;
      }
      log(
        `${which}: first correct answer after ${(r.coldStartMs / 1000).toFixed(
          2,
        )} s, idle ${(r.settleMs / 1000).toFixed(1)} s later`,
      );
      running.push(r);
    }
    if (running.length === 0) return [];
    return await measureInterleaved(
      running,
      world,
      upstream,
      settings,
      workload,
    );
  } finally {
    for (const r of running) await stop(r.child);
  }
}
