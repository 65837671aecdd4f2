import type { BackendId } from './clients';
import { apps, count, n } from './format';
import {
  BackendResult,
  BenchResults,
  HUGE_WORKLOAD,
  hugeOf,
  MEMORY_SETTLE_MS,
  TEAM_WARMUP_RUNS,
  wrongAnswers,
} from './results';
import { evaluateTargets, PEERS, rssFigure, RssFigures } from './targets';

const LABELS: Record<BackendId, string> = {
  ours: 'this project (`@goldenpath/plugin-gitops-backend`)',
  roadie: 'Roadie (`@roadiehq/backstage-plugin-argo-cd-backend`)',
  community: 'Community (`@backstage-community/plugin-argocd-backend`)',
};

/** peer / ours for a lower-is-better measure. */
export function ratio(peer: number, ours: number): string {
  if (!Number.isFinite(peer) || !Number.isFinite(ours)) return 'n/a';
  if (ours === 0) return peer === 0 ? '1x' : 'ours 0';
  const r = peer / ours;
  let digits = 2;
  if (r >= 10) digits = 0;
  else if (r >= 1) digits = 1;
  return `${n(r, digits)}x`;
}

function notesLine(results: BenchResults): string {
  const ids: BackendId[] = ['ours', 'roadie', 'community'];
  const b = results.backends;
  const each = (value: (r: BackendResult) => string | undefined) =>
    ids
      .filter(id => b[id])
      .map(id => `${id} ${value(b[id]) ?? 'n/a'}`)
      .join(', ');
  const parts = ['Ratios are peer / ours: above 1x ours is faster or smaller.'];
  if (results.settings.largeServices > 0) {
    parts.push(
      `At ${apps(
        results.settings.largeServices,
      )} applications: cold start ${each(r =>
        r.large ? `${n(r.large.coldStartMs / 1000, 2)} s` : undefined,
      )}; entity view p50 ${each(r =>
        r.large ? `${n(r.large.entityP50, 1)} ms` : undefined,
      )}.`,
    );
  }
  const huge = ids.map(id => hugeOf(b[id])).find(Boolean);
  if (huge) {
    parts.push(
      `At ${count(huge.applications)} applications in ${
        huge.instances
      } instances: entity view p50 ${each(r => {
        const h = hugeOf(r);
        return h?.entityP50 !== undefined
          ? `${n(h.entityP50, 1)} ms`
          : undefined;
      })}; team view ${each(r => {
        const h = hugeOf(r);
        return h?.teamMs !== undefined ? `${n(h.teamMs, 0)} ms` : undefined;
      })}.`,
    );
  }
  parts.push(
    `First team view after start (cold, not in the median): ${each(
      r => `${n(r.team.firstMs, 0)} ms`,
    )}.`,
  );
  if (b.ours?.catalogMs) {
    parts.push(
      `Of ours, the catalog lookups alone (timed directly against the catalog): ${n(
        b.ours.catalogMs.entity,
        1,
      )} ms per entity, ${n(b.ours.catalogMs.team, 1)} ms per team.`,
    );
  }
  return parts.join(' ');
}

/**
 * What the huge phase is and what of it was not measured: peers that did
 * not run at that size and why, a missing poll cycle line, a failed restart.
 */
export function hugeNotes(results: BenchResults): string[] {
  const { settings } = results;
  const b = results.backends;
  const ids: BackendId[] = ['ours', 'roadie', 'community'];
  const any = ids.map(id => b[id]?.huge).find(Boolean);
  if (!any) {
    return settings.hugeServices === 0
      ? ['The huge phase was skipped (BENCH_HUGE_SERVICES=0).']
      : [];
  }
  const notes = [
    `${count(any.applications)} applications (${count(
      settings.hugeServices ?? any.applications / 3,
    )} services x 3) in ${
      any.instances
    } fake Argo CD instances, one process and port each, each holding a contiguous block of ${count(
      Math.ceil(any.applications / 3 / any.instances) * 3,
    )} applications (the last what is left); the first is the \`argocd/instance-name\` of the catalog's components. The catalog and the GitOps repository keep their ${count(
      settings.services,
    )} services, so the views ask for services of the first instance. Ours and both peers are configured with all ${
      any.instances
    } instances: Roadie's \`/find/selector\` asks every instance, Community asks the one the annotation names. Each backend is started alone, left to go idle, then measured with ${
      HUGE_WORKLOAD.entityRequests
    } entity views and ${HUGE_WORKLOAD.teamRepeats} team view.`,
  ];
  for (const id of ids) {
    const h = b[id]?.huge;
    if (h?.notRun)
      notes.push(`${id} was not measured at this size: ${h.notRun}`);
  }
  const ours = b.ours?.huge;
  if (ours && !ours.notRun) {
    notes.push(
      ours.pollCycleMs === null || ours.pollCycleMs === undefined
        ? 'Poll cycle: not measured: the backend logged no `GitOps poll cycle: N providers, N resources in N ms` line after its start.'
        : `Poll cycle: ours' first full cycle after its start (every instance polled once, from its log line): ${count(
            ours.pollCycle?.providers ?? 0,
          )} providers, ${count(
            ours.pollCycle?.resources ?? 0,
          )} resources in ${n(ours.pollCycleMs, 0)} ms${
            ours.pollCycle?.failed
              ? `; ${ours.pollCycle.failed} of the polls failed (serving their last state)`
              : ''
          }.`,
    );
    if (ours.restart?.error) {
      notes.push(`Restart: not measured: ${ours.restart.error}`);
    } else if (ours.restartColdStartMs !== undefined) {
      const r = ours.restart;
      notes.push(
        `Restart: ours stopped (SIGTERM) after its measurement and started again on the same database, the fakes unchanged; first correct answer ${n(
          (ours.restartColdStartMs ?? NaN) / 1000,
          2,
        )} s after spawning (its cold start on an empty database: ${n(
          (ours.coldStartMs ?? NaN) / 1000,
          2,
        )} s)${
          r?.rssMiB !== undefined
            ? `; idle ${n((r.settleMs ?? NaN) / 1000, 1)} s later with ${n(
                r.rssMiB,
                0,
              )} MiB RSS${
                typeof r.rssAfterGcMiB === 'number'
                  ? ` (${n(r.rssAfterGcMiB, 0)} MiB after a full GC)`
                  : ''
              }`
            : ''
        }${
          r?.pollCycleMs !== undefined && r.pollCycleMs !== null
            ? `; its first poll cycle ${n(r.pollCycleMs, 0)} ms`
            : ''
        }${
          r?.wrong !== undefined ? `; ${r.wrong} wrong answers after it` : ''
        }. A peer keeps nothing, so its restart is its cold start.${
          r?.firstCorrectRequestMs !== undefined
            ? ` The request that got the first correct answer took ${n(
                r.firstCorrectRequestMs,
                0,
              )} ms.`
            : ''
        }${
          r?.wrongBeforeCorrect
            ? ` The last answer before it: ${r.wrongBeforeCorrect}.`
            : ''
        }`,
      );
    }
  }
  return notes;
}

/**
 * Where ours is behind a peer on a measure without a target, and why: the
 * report says so rather than leaving a ratio under 1x unexplained.
 */
export function behindNotes(results: BenchResults): string[] {
  const b = results.backends;
  const ours = b.ours;
  const peers = PEERS.map(id => b[id]).filter(Boolean);
  if (!ours || peers.length === 0) return [];
  const notes: string[] = [];
  const fastestStart = Math.min(...peers.map(p => p.coldStartMs));
  if (ours.coldStartMs > fastestStart) {
    const restart = hugeOf(ours)?.restartColdStartMs;
    notes.push(
      `Cold start: ours is ${n(
        (ours.coldStartMs - fastestStart) / 1000,
        2,
      )} s behind the fastest peer. Before its first answer it creates its database and runs its migrations, registers its poller with the scheduler, polls Argo CD once (all ${apps(
        results.settings.services,
      )} applications) and reads the component's folder from Git; a peer answers its first request by calling Argo CD. After a restart on an existing database ours answers from the stored snapshot${
        typeof restart === 'number'
          ? ` (measured: ${n(restart / 1000, 2)} s at ${count(
              hugeOf(ours)!.applications,
            )} applications)`
          : ''
      }.`,
    );
  }
  const sizes: Array<[string, (r: BackendResult) => RssFigures | undefined]> = [
    [apps(results.settings.services), r => r],
    [apps(results.settings.largeServices), r => r.large],
  ];
  const hugeApps = hugeOf(ours)?.applications;
  if (hugeApps) sizes.push([count(hugeApps), r => hugeOf(r)]);
  for (const [size, at] of sizes) {
    const mine = at(ours);
    if (mine?.rssMiB === undefined) continue;
    const ran = peers.map(at).filter(p => p?.rssMiB !== undefined);
    // The same figure as the targets: after a full GC when all have it.
    const figure = rssFigure([mine, ...ran]);
    const smallest = Math.min(...ran.map(p => figure.of(p!)));
    if (Number.isFinite(smallest) && figure.of(mine) > smallest) {
      notes.push(
        `Memory at ${size} applications (${figure.name}): ours uses ${n(
          figure.of(mine) - smallest,
          0,
        )} MiB more than the smallest peer. It keeps the live-state snapshot (every Application's status) and the desired-state index of the GitOps repository in memory, and loads a database driver and the scheduler; the peers keep nothing between requests. Most of every process is Backstage's own backend.`,
      );
    }
  }
  return notes;
}

/** The RSS after a full GC, when it was measured. */
const afterGc = (m: RssFigures | undefined) =>
  typeof m?.rssAfterGcMiB === 'number' ? m.rssAfterGcMiB : undefined;

const verdictWord = (met: boolean | null) => {
  if (met === null) return 'not measured';
  return met ? 'met' : 'MISSED';
};

export function renderMarkdown(results: BenchResults): string {
  const behind = behindNotes(results);
  const { settings, machine } = results;
  const ids: BackendId[] = ['ours', 'roadie', 'community'];
  const b = results.backends;
  const huge = ids.map(id => hugeOf(b[id])).find(Boolean);
  const hugeNotesList = hugeNotes(results);
  const laterSizes = [
    settings.largeServices > 0
      ? `${apps(settings.largeServices)} applications in the same fake`
      : undefined,
    huge
      ? `${count(huge.applications)} in ${
          huge.instances
        } fakes (the huge phase, below)`
      : undefined,
  ].filter(Boolean);

  const row = (
    label: string,
    value: (r: BackendResult) => number | undefined,
    format: (v: number) => string,
    withRatio = true,
  ) => {
    const v = (id: BackendId) => (b[id] ? value(b[id]) : undefined);
    const cell = (id: BackendId) => {
      const x = v(id);
      return x === undefined ? 'n/a' : format(x);
    };
    const r = (id: BackendId) =>
      withRatio && v(id) !== undefined && v('ours') !== undefined
        ? ratio(v(id)!, v('ours')!)
        : '';
    return `| ${label} | ${cell('ours')} | ${cell('roadie')} | ${r(
      'roadie',
    )} | ${cell('community')} | ${r('community')} |`;
  };

  const lines = [
    '# Benchmark: GitOps status backends and the golden path action',
    '',
    `Run ${results.date}, ${n(results.durationSeconds, 0)} s in all${
      results.phaseSeconds
        ? ` (${Object.entries(results.phaseSeconds)
            .map(([phase, sec]) => `${phase} ${n(sec, 0)} s`)
            .join(', ')})`
        : ''
    }. Written by \`scripts/bench.sh\`; the numbers below are from this run only.`,
    '',
    `- Machine: ${machine.cpu}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, kubectl ${machine.kubectl}.`,
    `- Scenario: a fake Argo CD (\`packages/fake-argocd\`, the documented \`/api/v1/applications\` API) holding ${apps(
      settings.services,
    )} applications (${settings.services.toLocaleString(
      'en-US',
    )} services x 3 environments), ${
      settings.latencyMs
    } ms per request; a catalog of ${settings.services.toLocaleString(
      'en-US',
    )} components in a separate catalog backend.${
      laterSizes.length
        ? ` Then ${laterSizes.join(
            ', and ',
          )}; the catalog and the GitOps repository keep their ${count(
            settings.services,
          )} services.`
        : ''
    }`,
    `- Backends: one process each against the same fake and catalog, started one after the other (each alone, for its cold start, then left to go idle), then measured together: request by request in turn, the order rotating, so that whatever else the machine does at a moment weighs on all alike: ${ids
      .map(id => `${LABELS[id]} ${results.versions[id]}`)
      .join('; ')}; \`@backstage/backend-defaults\` ${
      results.versions.backstageBackendDefaults
    }. Ours polls every ${settings.pollIntervalSeconds} s into ${
      results.database
    }; the peers keep nothing.`,
    `- Calls: as each plugin's frontend makes them for an entity with \`argocd/app-selector\` (Roadie: \`/find/selector\` then \`/argoInstance/{name}/applications/selector\`; Community: \`/argoInstance/{name}/applications/selector\`; ours: \`/v1/entities/{ref}/environments\`). Team view: ours one \`POST /v1/environments/query\` with the ${settings.teamSize} refs; peers one entity view per component, at most ${settings.browserConnections} at once (a browser's connections per host).`,
    `- Entity view: ${
      settings.entityRequests
    } sequential warm requests over different components after a warm-up of at least 20 requests and ${
      settings.warmupMs / 1000
    } s. Team view: median of ${
      settings.teamRepeats
    } runs after a warm-up of at least ${TEAM_WARMUP_RUNS} runs and ${
      settings.warmupMs / 1000
    } s. Warm-ups are the same for every backend: measured JIT-warm, as a portal serving users all day is. Every answer is checked against the scenario (tags, sync, health; for ours also the tag Git wants and drift); wrong answers are counted, not timed away.`,
    `- Memory: two figures per backend and size. The raw RSS (\`VmRSS\` in \`/proc/<pid>/status\`) is read right after the workload; then, the same way for every backend, once the process is idle (a poll in flight has ended; its cost is in the peak RSS), a full GC is forced through the inspector (\`HeapProfiler.collectGarbage\`) and the RSS read again ${
      MEMORY_SETTLE_MS / 1000
    } s later. Every backend's start (module loading, Backstage compiling its config schemas) leaves garbage in the heap, and the raw RSS mostly says whether the workload made V8 collect it since: the peers allocate per request (they call Argo CD for every view) and are collected, ours answers from memory and may not be. The memory targets therefore use the figure after a full GC (the raw RSS when that is missing, said so), the same kind at both ends of a comparison.`,
    '',
    '## Status backends',
    '',
    '| Measure | Ours | Roadie | Roadie / ours | Community | Community / ours |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row(
      'Entity view p50 (ms)',
      r => r.entity.p50,
      v => n(v, 1),
    ),
    row(
      'Entity view p95 (ms)',
      r => r.entity.p95,
      v => n(v, 1),
    ),
    row(
      'Upstream requests per entity view',
      r => r.entity.causedPerRequest,
      v => n(v, 2),
      false,
    ),
    row(
      `Team view, ${settings.teamSize} components (ms)`,
      r => r.team.ms,
      v => n(v, 1),
    ),
    row(
      'Upstream requests per team view',
      r => r.team.causedPerView,
      v => n(v, 0),
      false,
    ),
    row(
      'Cold start to first correct answer (s)',
      r => r.coldStartMs / 1000,
      v => n(v, 2),
    ),
    row(
      `RSS with ${apps(settings.services)} applications (MiB)`,
      r => r.rssMiB,
      v => n(v, 0),
    ),
    row(
      `RSS after a full GC with ${apps(settings.services)} applications (MiB)`,
      r => afterGc(r),
      v => n(v, 0),
    ),
    row(
      `RSS with ${apps(settings.largeServices)} applications (MiB)`,
      r => r.large?.rssMiB,
      v => n(v, 0),
    ),
    row(
      `RSS after a full GC with ${apps(
        settings.largeServices,
      )} applications (MiB)`,
      r => afterGc(r.large),
      v => n(v, 0),
    ),
    ...(huge
      ? [
          row(
            `RSS with ${count(huge.applications)} applications, ${
              huge.instances
            } instances (MiB)`,
            r => hugeOf(r)?.rssMiB,
            v => n(v, 0),
          ),
          row(
            `RSS after a full GC with ${count(
              huge.applications,
            )} applications, ${huge.instances} instances (MiB)`,
            r => afterGc(hugeOf(r)),
            v => n(v, 0),
          ),
          row(
            `Peak RSS with ${count(huge.applications)} applications (MiB)`,
            r => hugeOf(r)?.peakRssMiB,
            v => n(v, 0),
          ),
          row(
            `Cold start with ${count(huge.applications)} applications (s)`,
            r => hugeOf(r)?.coldStartMs,
            v => n(v / 1000, 2),
          ),
          row(
            `Restart to first correct answer, ${count(
              huge.applications,
            )} applications (s; a peer's is its cold start)`,
            r => {
              const h = hugeOf(r);
              if (r.id !== 'ours') return h?.coldStartMs;
              return typeof h?.restartColdStartMs === 'number'
                ? h.restartColdStartMs
                : undefined;
            },
            v => n(v / 1000, 2),
          ),
          row(
            `Poll cycle, ${count(huge.applications)} applications (ms)`,
            r =>
              r.id === 'ours' && typeof hugeOf(r)?.pollCycleMs === 'number'
                ? (hugeOf(r)!.pollCycleMs as number)
                : undefined,
            v => n(v, 0),
            false,
          ),
        ]
      : []),
    row(
      'Wrong answers (entity + team views, every phase)',
      r => wrongAnswers(r),
      v => n(v, 0),
      false,
    ),
    '',
    notesLine(results),
    '',
    ...(hugeNotesList.length
      ? [
          `## ${
            huge ? `${count(huge.applications)} applications` : 'Huge phase'
          }`,
          '',
          ...hugeNotesList.map(t => `- ${t}`),
          '',
        ]
      : []),
    ...(behind.length
      ? ['## Where ours is behind', '', ...behind.map(t => `- ${t}`), '']
      : []),
    '## Scaffolder actions',
    '',
    `\`gitops:service:create\` for a service with 3 environments (generate, validate every object with kubernetes-models, render each overlay with \`kubectl kustomize\`, write): p50 ${n(
      results.action.p50,
      0,
    )} ms, max ${n(results.action.max, 0)} ms over ${
      results.action.runs
    } runs; ${results.action.renderedObjects} objects rendered per run.`,
    '',
    ...(results.promote
      ? [
          `\`gitops:environment:promote\` from staging to production (read the service folder through the git layer, check the gate, edit the overlay, render it with \`kubectl kustomize\`, write): p50 ${n(
            results.promote.p50,
            0,
          )} ms, max ${n(results.promote.max, 0)} ms over ${
            results.promote.runs
          } runs.`,
          '',
        ]
      : []),
    '## Targets',
    '',
    '| Target | Measured | Result |',
    '| --- | --- | --- |',
    ...evaluateTargets(results).map(
      t =>
        `| ${t.target} | ${t.measured} | ${verdictWord(t.met)}${
          t.detail ? `: ${t.detail}` : ''
        } |`,
    ),
    '',
  ];
  const wrong = ids.flatMap(id => {
    const first = [
      b[id]?.entity.firstWrong,
      b[id]?.huge?.firstWrong,
      b[id]?.huge?.restart?.firstWrong,
    ];
    return first
      .map((w, k) =>
        w
          ? `- ${id}${
              ['', ' (huge phase)', ' (after the restart)'][k]
            }: first wrong answer: ${w}`
          : undefined,
      )
      .filter((line): line is string => line !== undefined);
  });
  if (wrong.length) lines.push('## Wrong answers', '', ...wrong, '');
  return lines.join('\n');
}
