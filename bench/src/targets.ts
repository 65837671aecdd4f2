import type { BackendResult, BenchResults } from './results';
import { hugeOf, wrongAnswers } from './results';
import { apps, count, n } from './format';

export const TARGETS = {
  teamSpeedup: 50,
  upstreamPerRequest: 0,
  entityP95Ms: 15,
  actionMs: 2000,
  promoteMs: 1000,
  /** Ours' RSS at the 30,000-application phase, over the smallest peer's. */
  largeRssOverBestPeer: 1.1,
  /** RSS growth per 1,000 applications, MiB. */
  growthPerThousandMiB: 1,
  hugeRssMiB: 500,
  durationSeconds: 600,
};

/** What ours spends a team view on, from the run's own figures. */
function teamWhy(ours: BackendResult): string {
  if (!ours.catalogMs) return '';
  return `. Of ours' ${n(ours.team.ms, 1)} ms, about ${n(
    ours.catalogMs.team,
    1,
  )} ms is the catalog's own answer to the lookup made on the caller's behalf (which keeps catalog permissions); the rest is issuing that call, building, serializing and compressing ${
    ours.team.components
  } answers, and the client reading them. No upstream request is involved`;
}

export interface TargetVerdict {
  target: string;
  measured: string;
  /** null: not measured in this run (`measured` says why). */
  met: boolean | null;
  detail: string;
}

export const PEERS = ['roadie', 'community'] as const;

/** RSS growth in MiB per 1,000 applications between two sizes. */
export function growthPerThousand(
  from: { applications: number; rssMiB: number },
  to: { applications: number; rssMiB: number },
): number {
  return (
    (to.rssMiB - from.rssMiB) / ((to.applications - from.applications) / 1000)
  );
}

/** The RSS figures a measure of memory may carry. */
export interface RssFigures {
  rssMiB?: number;
  rssAfterGcMiB?: number | null;
}

/**
 * Which figure memory is compared on: the RSS a few seconds after a full GC
 * when every side has one (what a process holds, not when V8 last
 * collected), else the raw RSS for every side, so that both ends of a
 * comparison are the same kind of figure.
 */
export function rssFigure(sides: Array<RssFigures | undefined>) {
  const afterGc = sides.every(s => typeof s?.rssAfterGcMiB === 'number');
  return {
    afterGc,
    /** How the measured text names the figure. */
    name: afterGc ? 'RSS after a full GC' : 'raw RSS, no after-GC figure',
    of: (s: RssFigures) => (afterGc ? (s.rssAfterGcMiB as number) : s.rssMiB!),
  };
}

/** The issue's targets, each with whether it is met and, if not, by how much. */
export function evaluateTargets(results: BenchResults): TargetVerdict[] {
  const ours = results.backends.ours;
  const peers = PEERS.map(id => results.backends[id]).filter(Boolean);
  const { settings } = results;
  const verdicts: TargetVerdict[] = [];
  const notMeasured = (target: string, why: string) =>
    verdicts.push({ target, measured: why, met: null, detail: '' });
  const huge = hugeOf(ours);
  const hugeApps = ours.huge?.applications;
  let hugeSize = 'the huge size';
  if (hugeApps) hugeSize = `${count(hugeApps)} applications`;
  else if (settings.hugeServices) {
    hugeSize = `${apps(settings.hugeServices)} applications`;
  }
  const smallApps = settings.services * 3;
  const largeApps = settings.largeServices * 3;

  // Memory at 30,000 applications against the smallest peer.
  {
    const size = settings.largeServices
      ? `${apps(settings.largeServices)} applications`
      : 'the large size';
    const target = `RSS at ${size} at most ${TARGETS.largeRssOverBestPeer}x the best peer's`;
    const ran = peers.filter(p => p.large);
    const figure = rssFigure([ours.large, ...ran.map(p => p.large)]);
    const best = ran.reduce<BackendResult | undefined>(
      (a, b) => (a && figure.of(a.large!) <= figure.of(b.large!) ? a : b),
      undefined,
    );
    if (!ours.large || !best) {
      notMeasured(
        target,
        settings.largeServices === 0
          ? 'not measured: BENCH_LARGE_SERVICES=0'
          : 'not measured: no peer ran at that size',
      );
    } else {
      const mine = figure.of(ours.large);
      const theirs = figure.of(best.large!);
      const over = mine / theirs;
      const met = over <= TARGETS.largeRssOverBestPeer;
      verdicts.push({
        target,
        measured: `${n(over, 2)}x on ${figure.name} (ours ${n(mine, 0)} MiB, ${
          best.id
        } ${n(theirs, 0)} MiB)${
          figure.afterGc
            ? `; raw RSS ours ${n(ours.large.rssMiB, 0)} MiB, ${best.id} ${n(
                best.large!.rssMiB,
                0,
              )} MiB`
            : ''
        }`,
        met,
        detail: met
          ? ''
          : `missed by ${n(
              mine - theirs * TARGETS.largeRssOverBestPeer,
              0,
            )} MiB`,
      });
    }
  }

  // Growth per 1,000 applications: to the huge size (the target), and to
  // the 30,000 size.
  const growthTarget = (to: string) =>
    `Growth at most ${
      TARGETS.growthPerThousandMiB
    } MiB per 1,000 applications (${count(smallApps)} to ${to})`;
  const growthVerdict = (toApps: number, to: RssFigures) => {
    // The same kind of figure at both ends.
    const figure = rssFigure([ours, to]);
    const fromRss = figure.of(ours);
    const toRss = figure.of(to);
    const growth = growthPerThousand(
      { applications: smallApps, rssMiB: fromRss },
      { applications: toApps, rssMiB: toRss },
    );
    const met = growth <= TARGETS.growthPerThousandMiB;
    verdicts.push({
      target: growthTarget(`${count(toApps)} applications`),
      measured: `${n(growth, 2)} MiB on ${figure.name} (${n(fromRss, 0)} to ${n(
        toRss,
        0,
      )} MiB)${
        figure.afterGc
          ? `; raw RSS ${n(ours.rssMiB, 0)} to ${n(to.rssMiB ?? NaN, 0)} MiB`
          : ''
      }`,
      met,
      detail: met
        ? ''
        : `missed by ${n(growth - TARGETS.growthPerThousandMiB, 2)} MiB`,
    });
  };
  if (huge?.rssMiB !== undefined) {
    growthVerdict(huge.applications, huge);
  } else {
    notMeasured(growthTarget(hugeSize), hugeNotMeasured(results));
  }
  if (ours.large) growthVerdict(largeApps, ours.large);

  // Memory at 100,000 applications.
  {
    const target = `Under ${TARGETS.hugeRssMiB} MiB at ${hugeSize}`;
    if (huge?.rssMiB === undefined) {
      notMeasured(target, hugeNotMeasured(results));
    } else {
      const figure = rssFigure([huge]);
      const rss = figure.of(huge);
      const met = rss < TARGETS.hugeRssMiB;
      verdicts.push({
        target,
        measured: `${n(rss, 0)} MiB ${figure.name} (${
          figure.afterGc ? `raw RSS ${n(huge.rssMiB, 0)} MiB, ` : ''
        }peak ${n(huge.peakRssMiB ?? NaN, 0)} MiB) in ${
          huge.instances
        } instances`,
        met,
        detail: met ? '' : `missed by ${n(rss - TARGETS.hugeRssMiB, 0)} MiB`,
      });
    }
  }

  // A restarted replica's first correct answer against the peers' cold start.
  {
    const target =
      "A restarted replica's first correct answer sooner than the best peer's cold start";
    const starts = peers.map(p => {
      const ph = hugeOf(p);
      return ph?.coldStartMs !== undefined
        ? {
            id: p.id,
            ms: ph.coldStartMs,
            at: `at ${count(ph.applications)} applications`,
          }
        : {
            id: p.id,
            ms: p.coldStartMs,
            at: `at ${count(
              smallApps,
            )} applications (not run at the huge size)`,
          };
    });
    const best = starts.reduce<(typeof starts)[number] | undefined>(
      (a, b) => (a && a.ms <= b.ms ? a : b),
      undefined,
    );
    const restart = huge?.restartColdStartMs;
    if (!best) {
      notMeasured(target, 'not measured: no peer ran');
    } else if (restart === undefined || restart === null) {
      notMeasured(
        target,
        huge?.restart?.error
          ? `not measured: the restart gave no correct answer (${huge.restart.error})`
          : hugeNotMeasured(results),
      );
    } else {
      const met = restart < best.ms;
      verdicts.push({
        target,
        measured: `ours ${n(restart / 1000, 2)} s after a restart at ${count(
          huge!.applications,
        )} applications; best peer ${best.id} ${n(best.ms / 1000, 2)} s ${
          best.at
        }`,
        met,
        detail: met ? '' : `missed by ${n((restart - best.ms) / 1000, 2)} s`,
      });
    }
  }

  {
    const atHuge =
      huge?.entityP95 !== undefined
        ? ` (at ${count(huge.applications)} applications: ${n(
            huge.entityP95,
            1,
          )} ms)`
        : '';
    verdicts.push({
      target: `Entity view p95 under ${TARGETS.entityP95Ms} ms warm`,
      measured: `${n(ours.entity.p95, 1)} ms${atHuge}`,
      met: ours.entity.p95 < TARGETS.entityP95Ms,
      detail:
        ours.entity.p95 < TARGETS.entityP95Ms
          ? ''
          : `missed by ${n(ours.entity.p95 - TARGETS.entityP95Ms, 1)} ms`,
    });
  }

  if (peers.length > 0) {
    const best = peers.reduce((a, b) => (a.team.ms <= b.team.ms ? a : b));
    const speedup = best.team.ms / ours.team.ms;
    verdicts.push({
      target: `Team view at least ${TARGETS.teamSpeedup}x faster than the best peer`,
      measured: `${n(speedup, 0)}x (${best.id} ${n(
        best.team.ms,
        0,
      )} ms, ours ${n(ours.team.ms, 1)} ms)`,
      met: speedup >= TARGETS.teamSpeedup,
      detail:
        speedup >= TARGETS.teamSpeedup
          ? ''
          : `missed by ${n(
              TARGETS.teamSpeedup / speedup,
              2,
            )}x: ours would need ${n(
              best.team.ms / TARGETS.teamSpeedup,
              1,
            )} ms${teamWhy(ours)}`,
    });
  }

  {
    const wrong = wrongAnswers(ours);
    const peerWrong = peers.map(p => `${p.id} ${wrongAnswers(p)}`).join(', ');
    const phases = [
      count(smallApps),
      ours.large ? count(largeApps) : undefined,
      huge ? count(huge.applications) : undefined,
      huge?.restart && !huge.restart.error ? 'after the restart' : undefined,
    ].filter(Boolean);
    verdicts.push({
      target: 'No wrong answer',
      measured: `ours ${wrong} (${phases.join(', ')})${
        peerWrong ? `; ${peerWrong}` : ''
      }`,
      met: wrong === 0,
      detail:
        wrong === 0
          ? ''
          : `first: ${
              ours.entity.firstWrong ??
              huge?.firstWrong ??
              huge?.restart?.firstWrong ??
              'in a team view'
            }`,
    });
  }

  const caused = Math.max(
    ours.entity.causedPerRequest,
    ours.team.causedPerView,
  );
  const polls = ours.entity.backgroundPolls + ours.team.backgroundPolls;
  let upstreamDetail = '';
  if (caused > 0) {
    upstreamDetail = `missed: ${n(
      caused,
      2,
    )} upstream requests per user request`;
  } else if (polls > 0) {
    upstreamDetail = `${polls} background poll(s) fell inside the timed windows; no user request caused one`;
  }
  verdicts.push({
    target: 'Zero upstream requests per user request',
    measured: `${n(ours.entity.causedPerRequest, 2)} per entity view, ${n(
      ours.team.causedPerView,
      2,
    )} per team view`,
    met: caused <= TARGETS.upstreamPerRequest,
    detail: upstreamDetail,
  });

  verdicts.push({
    target: `Scaffolder action under ${TARGETS.actionMs / 1000} s`,
    measured: `${n(results.action.p50 / 1000, 2)} s (p50 of ${
      results.action.runs
    })`,
    met: results.action.p50 < TARGETS.actionMs,
    detail:
      results.action.p50 < TARGETS.actionMs
        ? ''
        : `missed by ${n((results.action.p50 - TARGETS.actionMs) / 1000, 2)} s`,
  });
  const promote = results.promote;
  if (promote) {
    verdicts.push({
      target: `Promote action under ${TARGETS.promoteMs / 1000} s`,
      measured: `${n(promote.p50 / 1000, 2)} s (p50 of ${promote.runs})`,
      met: promote.p50 < TARGETS.promoteMs,
      detail:
        promote.p50 < TARGETS.promoteMs
          ? ''
          : `missed by ${n((promote.p50 - TARGETS.promoteMs) / 1000, 2)} s`,
    });
  }

  {
    const met = results.durationSeconds < TARGETS.durationSeconds;
    verdicts.push({
      target: `The full benchmark under ${
        TARGETS.durationSeconds / 60
      } minutes`,
      measured: `${n(results.durationSeconds, 0)} s`,
      met,
      detail: met
        ? ''
        : `missed by ${n(
            results.durationSeconds - TARGETS.durationSeconds,
            0,
          )} s`,
    });
  }
  return verdicts;
}

/** Why ours has no measure at the huge size. */
function hugeNotMeasured(results: BenchResults): string {
  const huge = results.backends.ours.huge;
  if (huge?.notRun) return `not measured: ours did not run (${huge.notRun})`;
  if (!huge) {
    return results.settings.hugeServices === 0
      ? 'not measured: BENCH_HUGE_SERVICES=0'
      : 'not measured: no huge phase in this run';
  }
  return 'not measured';
}
