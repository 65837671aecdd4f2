import type { BenchSettings } from './results';

/** Most fake Argo CD instances in the huge phase (ports 7200 and 7210 to 7218). */
export const MAX_FLEET_INSTANCES = 10;

/** The run's settings from BENCH_* environment variables (bench/README.md). */
export function readSettings(env = process.env): Required<BenchSettings> {
  const int = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
    }
    return value;
  };
  const settings = {
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
    hugeServices: int('BENCH_HUGE_SERVICES', 33334),
    hugeInstances: int('BENCH_HUGE_INSTANCES', 10),
  };
  if (
    settings.hugeInstances < 1 ||
    settings.hugeInstances > MAX_FLEET_INSTANCES
  ) {
    throw new Error(
      `BENCH_HUGE_INSTANCES must be 1 to ${MAX_FLEET_INSTANCES}, got ${settings.hugeInstances}`,
    );
  }
  if (
    settings.hugeServices > 0 &&
    Math.ceil(settings.hugeServices / settings.hugeInstances) <
      settings.services
  ) {
    // The catalog's components name the first instance in their annotation.
    throw new Error(
      `BENCH_HUGE_SERVICES / BENCH_HUGE_INSTANCES must be at least BENCH_SERVICES (${settings.services}), so that the catalog's services are all in the first instance`,
    );
  }
  return settings;
}
