// What Argo CD and Flux say about an application: reasons in their own
// words and since when the state has held. Pure functions of the payloads
// the controllers' APIs return, shared by the status backend (which maps
// them) and tested against JSON fixtures of real payloads.
import type { StatusReason } from './types';

/** Most reasons kept per environment. @public */
export const MAX_STATUS_REASONS = 8;
/** Longest reason message kept, in characters. @public */
export const MAX_REASON_MESSAGE_LENGTH = 1000;

/**
 * A controller message made safe to pass on: a string, control characters
 * and runs of white space folded to one space, a user name or password in
 * any URL removed (Git and registry errors quote URLs as configured), cut to
 * {@link MAX_REASON_MESSAGE_LENGTH}. Undefined when nothing is left.
 *
 * @public
 */
export function cleanControllerMessage(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ')
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1')
    .trim();
  if (!text) return undefined;
  return text.length > MAX_REASON_MESSAGE_LENGTH
    ? `${text.slice(0, MAX_REASON_MESSAGE_LENGTH - 1)}…`
    : text;
}

/** An ISO 8601 time from a payload, normalised, or undefined. @public */
export function controllerTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

function latest(times: Array<string | undefined>): string | undefined {
  const known = times.filter((t): t is string => Boolean(t)).sort();
  return known[known.length - 1];
}

function reason(
  fields: Omit<StatusReason, 'message'> & { message: unknown },
): StatusReason | undefined {
  const message = cleanControllerMessage(fields.message);
  if (!message) return undefined;
  const out: StatusReason = { source: fields.source, message };
  const type = cleanControllerMessage(fields.type);
  if (type) out.type = type.slice(0, 200);
  const why = cleanControllerMessage(fields.reason);
  if (why) out.reason = why.slice(0, 200);
  if (fields.since) out.since = fields.since;
  return out;
}

function keep(reasons: Array<StatusReason | undefined>): StatusReason[] {
  const out: StatusReason[] = [];
  for (const r of reasons) {
    // Argo CD repeats a failed sync's message in its SyncError condition.
    const repeated = out.some(
      o =>
        o.message.includes(r?.message ?? '') || r!.message.includes(o.message),
    );
    if (!r || repeated) continue;
    out.push(r);
    if (out.length === MAX_STATUS_REASONS) break;
  }
  return out;
}

const asArray = (value: unknown): any[] => (Array.isArray(value) ? value : []);
const FAILED_PHASES = ['Failed', 'Error'];

/**
 * The reasons an Argo CD `argoproj.io/v1alpha1` Application gives for its
 * state, most telling first: its error conditions, its health message, the
 * messages of objects that are not Healthy (`status.resources[].health`),
 * its last operation when that failed (`status.operationState`, often a
 * summary such as "one or more synchronization tasks completed
 * unsuccessfully"), then its warning conditions. A message another one
 * contains is kept once.
 *
 * @public
 */
export function argoCdReasons(application: unknown): StatusReason[] {
  const status = (application as any)?.status ?? {};
  const operation = status.operationState ?? {};
  const conditions = asArray(status.conditions).map(c =>
    reason({
      source: 'condition',
      type: c?.type,
      message: c?.message,
      since: controllerTime(c?.lastTransitionTime),
    }),
  );
  const isError = (r: StatusReason | undefined) =>
    !/Warning$/.test(r?.type ?? '');
  const health = status.health ?? {};
  return keep([
    ...conditions.filter(isError),
    health.status && health.status !== 'Healthy'
      ? reason({
          source: 'health',
          type: health.status,
          message: health.message,
          since: controllerTime(health.lastTransitionTime),
        })
      : undefined,
    ...asArray(status.resources)
      .filter(r => r?.health?.status && r.health.status !== 'Healthy')
      .map(r =>
        reason({
          source: 'resource',
          type: [r.kind, r.name].filter(Boolean).join('/'),
          message: r.health.message,
        }),
      ),
    FAILED_PHASES.includes(operation.phase)
      ? reason({
          source: 'operation',
          type: operation.phase,
          message: operation.message,
          since: controllerTime(operation.finishedAt),
        })
      : undefined,
    ...conditions.filter(r => !isError(r)),
  ]);
}

/**
 * Since when an Argo CD Application's sync and health have had their
 * values, from Argo CD's own times: the later of the health's
 * `lastTransitionTime` and the sync's time (the finish of the last
 * operation that succeeded when Synced; that of a failed one, or the latest
 * error condition, when not). Undefined when Argo CD does not give both, so
 * that the caller falls back to when it first saw the state.
 *
 * @public
 */
export function argoCdStateSince(application: unknown): string | undefined {
  const status = (application as any)?.status ?? {};
  const operation = status.operationState ?? {};
  const healthSince = controllerTime(status.health?.lastTransitionTime);
  let syncSince: string | undefined;
  if (status.sync?.status === 'Synced') {
    syncSince =
      operation.phase === 'Succeeded'
        ? controllerTime(operation.finishedAt)
        : undefined;
  } else if (FAILED_PHASES.includes(operation.phase)) {
    syncSince = controllerTime(operation.finishedAt);
  } else {
    syncSince = latest(
      asArray(status.conditions)
        .filter(c => /Error$/.test(String(c?.type ?? '')))
        .map(c => controllerTime(c?.lastTransitionTime)),
    );
  }
  return healthSince && syncSince
    ? latest([healthSince, syncSince])
    : undefined;
}

function fluxCondition(kustomization: unknown, type: string) {
  return asArray((kustomization as any)?.status?.conditions).find(
    c => c?.type === type,
  );
}

/**
 * The reasons a Flux `kustomize.toolkit.fluxcd.io/v1` Kustomization gives:
 * its Stalled condition when True, and its Ready condition when not True,
 * each with the condition's reason and message.
 *
 * @public
 */
export function fluxReasons(kustomization: unknown): StatusReason[] {
  const stalled = fluxCondition(kustomization, 'Stalled');
  const ready = fluxCondition(kustomization, 'Ready');
  return keep([
    stalled?.status === 'True'
      ? reason({
          source: 'condition',
          type: 'Stalled',
          reason: stalled.reason,
          message: stalled.message,
          since: controllerTime(stalled.lastTransitionTime),
        })
      : undefined,
    ready && ready.status !== 'True'
      ? reason({
          source: 'condition',
          type: 'Ready',
          reason: ready.reason,
          message: ready.message,
          since: controllerTime(ready.lastTransitionTime),
        })
      : undefined,
  ]);
}

/**
 * Since when a Flux Kustomization's state has held: its Ready condition's
 * `lastTransitionTime`, which Flux moves whenever readiness (and with it
 * the applied revision's outcome) changes.
 *
 * @public
 */
export function fluxStateSince(kustomization: unknown): string | undefined {
  return controllerTime(
    fluxCondition(kustomization, 'Ready')?.lastTransitionTime,
  );
}
