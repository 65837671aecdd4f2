import type { BackendId } from './clients';

/*
 * What a run gives: the shape of latest.json. Keys are only ever added.
 */

export interface BenchSettings {
  services: number;
  largeServices: number;
  latencyMs: number;
  entityRequests: number;
  teamSize: number;
  teamRepeats: number;
  actionRuns: number;
  /** Every warm-up lasts at least this long, for every backend. */
  warmupMs: number;
  pollIntervalSeconds: number;
  browserConnections: number;
  /** Services of the huge phase, spread over `hugeInstances` fakes (0: no huge phase). Absent in older results. */
  hugeServices?: number;
  hugeInstances?: number;
}

/**
 * One backend at the huge size: `hugeServices` x 3 applications in
 * `hugeInstances` fake Argo CD instances, the catalog and Git unchanged.
 */
export interface HugeResult {
  /** Applications in all the fakes. */
  applications: number;
  instances: number;
  /** Why the backend was not measured at this size; then no measure is given. */
  notRun?: string;
  coldStartMs?: number;
  settleMs?: number;
  rssMiB?: number;
  peakRssMiB?: number;
  /**
   * RSS a few seconds after a full GC forced through the inspector (read
   * after the raw figure above), and V8's heap used then; null when that
   * measure failed (the run's log says why). Absent in older results.
   */
  rssAfterGcMiB?: number | null;
  heapAfterGcMiB?: number | null;
  entityP50?: number;
  entityP95?: number;
  teamMs?: number;
  /** Wrong entity views plus wrong team-view components. */
  wrong?: number;
  firstWrong?: string;
  /** The last answer before the first correct one that was wrong (or an HTTP error), if any: not counted as wrong. */
  wrongBeforeCorrect?: string;
  /** How long the request that got the first correct answer took (a backend may hold requests until it can answer). */
  firstCorrectRequestMs?: number;
  /**
   * Ours: the first full poll cycle after its start (every instance polled
   * once), from its log line; null when the log has none.
   */
  pollCycleMs?: number | null;
  /** That cycle's line: providers, resources, and how many polls failed. */
  pollCycle?: { providers: number; resources: number; failed: number } | null;
  /**
   * Ours: stopped after the measurement and started again on the same
   * database, the fakes unchanged: from spawning to its first correct
   * answer. Null when it gave none (`restart.error` says why).
   */
  restartColdStartMs?: number | null;
  restart?: {
    error?: string;
    /** As `wrongBeforeCorrect` and `firstCorrectRequestMs`, for the restarted process. */
    wrongBeforeCorrect?: string;
    firstCorrectRequestMs?: number;
    settleMs?: number;
    rssMiB?: number;
    peakRssMiB?: number;
    /** As `rssAfterGcMiB` and `heapAfterGcMiB` above, for the restarted process. */
    rssAfterGcMiB?: number | null;
    heapAfterGcMiB?: number | null;
    /** The restarted process's first poll cycle, from its log; null when none. */
    pollCycleMs?: number | null;
    /** Wrong answers among the views made after the restart went idle. */
    wrong?: number;
    firstWrong?: string;
  };
}

export interface BackendResult {
  id: BackendId;
  coldStartMs: number;
  /** After the first correct answer, until the process was idle. */
  settleMs: number;
  /** Ours only: the catalog lookups it makes, timed directly (median ms). */
  catalogMs?: { entity: number; team: number };
  entity: {
    requests: number;
    p50: number;
    p95: number;
    p99: number;
    /** Full listings during the timed requests: a poller's, not caused by them. */
    backgroundPolls: number;
    /** Upstream requests per request, background polls excluded. */
    causedPerRequest: number;
    wrong: number;
    firstWrong?: string;
  };
  team: {
    components: number;
    /** Median over the timed runs. */
    ms: number;
    /** The first team view after start (not timed into `ms`). */
    firstMs: number;
    correct: number;
    backgroundPolls: number;
    causedPerView: number;
  };
  /** After the workload, as read from /proc: when V8 last collected shows in it. */
  rssMiB: number;
  peakRssMiB: number;
  /**
   * RSS a few seconds after a full GC forced through the inspector (read
   * after the raw figure above), and V8's heap used then; null when that
   * measure failed (the run's log says why). Absent in older results.
   */
  rssAfterGcMiB?: number | null;
  heapAfterGcMiB?: number | null;
  large?: {
    coldStartMs: number;
    rssMiB: number;
    peakRssMiB: number;
    /** As above, at the large size. */
    rssAfterGcMiB?: number | null;
    heapAfterGcMiB?: number | null;
    entityP50: number;
    teamMs: number;
    wrong: number;
  };
  huge?: HugeResult;
}

export interface BenchResults {
  date: string;
  machine: {
    cpu: string;
    memoryGiB: number;
    os: string;
    node: string;
    kubectl: string;
  };
  settings: BenchSettings;
  database: string;
  versions: Record<string, string>;
  backends: Record<BackendId, BackendResult>;
  action: { runs: number; p50: number; max: number; renderedObjects: number };
  /** `gitops:environment:promote`: read, gate, edit, render, write. */
  promote?: { runs: number; p50: number; max: number };
  /** How long each part of the run took, in seconds. */
  phaseSeconds?: Record<string, number>;
  durationSeconds: number;
}

/** The huge phase's workload per backend, after its warm-up. */
export const HUGE_WORKLOAD = { entityRequests: 50, teamRepeats: 1 };

/** How long after a forced full GC the RSS is read (V8 returns freed pages shortly after). */
export const MEMORY_SETTLE_MS = 3000;

/** Team views run and discarded before the timed ones (at least). */
export const TEAM_WARMUP_RUNS = 2;

/** Wrong answers a backend gave over every phase of the run. */
export function wrongAnswers(r: BackendResult): number {
  return (
    r.entity.wrong +
    (r.team.components - r.team.correct) +
    (r.large?.wrong ?? 0) +
    (r.huge?.wrong ?? 0) +
    (r.huge?.restart?.wrong ?? 0)
  );
}

/** The huge phase's result when the backend was measured at that size. */
export const hugeOf = (r: BackendResult | undefined) =>
  r?.huge && r.huge.notRun === undefined ? r.huge : undefined;
