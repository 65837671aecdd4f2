import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { hasUserinfo, redactUrl } from '../redact';

/** The schedule of a provider without `schedule` or deprecated keys. */
export const DEFAULT_FREQUENCY: HumanDuration = { seconds: 30 };
/**
 * One poll's budget. An instance of 10,000 Applications takes Argo CD
 * seconds to list and this backend seconds to parse and store while other
 * polls share the cores: 5 seconds (the old `requestTimeout`) failed such
 * polls, so the default is a minute. A hung instance holds one polling slot
 * that long.
 */
export const DEFAULT_TIMEOUT: HumanDuration = { minutes: 1 };

/** The deprecated keys of a provider kind, and what replaces them. */
const DEPRECATED = [
  ['pollInterval', 'frequency'],
  ['requestTimeout', 'timeout'],
] as const;

function readScheduleAt(config: Config, path: string) {
  try {
    return readSchedulerServiceTaskScheduleDefinitionFromConfig(
      config.getConfig('schedule'),
    );
  } catch (e) {
    throw new InputError(
      `Invalid app-config: ${path}.schedule must be a scheduler task schedule (frequency and timeout, as durations or cron): ${
        (e as Error).message
      }`,
    );
  }
}

function readDuration(config: Config, key: string, path: string) {
  try {
    return readDurationFromConfig(config, { key });
  } catch (e) {
    throw new InputError(
      `Invalid app-config: ${path}.${key} must be a duration: ${
        (e as Error).message
      }`,
    );
  }
}

/**
 * The schedule of one provider, like Backstage's catalog providers: the
 * entry's own `schedule`, else its kind's `schedule` (e.g.
 * `gitops.argocd.schedule`), else one built from the deprecated
 * `pollInterval` and `requestTimeout` of the kind, else every 30 seconds
 * with a one-minute budget. Pure.
 */
export function readProviderSchedule(options: {
  /** The kind's section, e.g. `gitops.argocd`. */
  kind: Config | undefined;
  kindPath: string;
  /** The entry, e.g. one of `gitops.argocd.instances`. */
  entry: Config;
  entryPath: string;
}): SchedulerServiceTaskScheduleDefinition {
  const { kind, kindPath, entry, entryPath } = options;
  if (entry.has('schedule')) return readScheduleAt(entry, entryPath);
  if (kind?.has('schedule')) return readScheduleAt(kind, kindPath);
  return {
    frequency: kind?.has('pollInterval')
      ? readDuration(kind, 'pollInterval', kindPath)
      : DEFAULT_FREQUENCY,
    timeout: kind?.has('requestTimeout')
      ? readDuration(kind, 'requestTimeout', kindPath)
      : DEFAULT_TIMEOUT,
    initialDelay: { seconds: 0 },
  };
}

/**
 * One warning per deprecated key a kind's section sets, naming the key that
 * replaces it; said once at start-up. Pure.
 */
export function deprecatedScheduleWarnings(
  kind: Config | undefined,
  kindPath: string,
): string[] {
  if (!kind) return [];
  return DEPRECATED.filter(([old]) => kind.has(old)).map(
    ([old, replacement]) =>
      `${kindPath}.${old} is deprecated: use ${kindPath}.schedule.${replacement}${
        kind.has('schedule')
          ? `; ${kindPath}.schedule is set, so ${kindPath}.${old} is ignored`
          : ''
      }`,
  );
}

/**
 * What a kind's config deserves a warning for at start-up, said once: an
 * entry whose URL carries a user name or password (never sent; the token
 * key is), and every deprecated schedule key. Pure.
 */
export function providerConfigWarnings(
  config: Config,
  kindPath: 'gitops.argocd' | 'gitops.flux',
  listKey: 'instances' | 'clusters',
  entries: Array<{ name: string; url: string }>,
): string[] {
  return [
    ...entries.flatMap((e, i) =>
      hasUserinfo(e.url)
        ? [
            `${kindPath}.${listKey}[${i}] ("${e.name}"): url ${redactUrl(
              e.url,
            )} carries a user name or password; they are never sent, use the token key`,
          ]
        : [],
    ),
    ...deprecatedScheduleWarnings(config.getOptionalConfig(kindPath), kindPath),
  ];
}

/**
 * A schedule's timeout in milliseconds: the budget of one poll, after which
 * a provider aborts its requests. `readSchedulerServiceTaskScheduleDefinitionFromConfig`
 * answers Luxon durations, code may pass human ones.
 */
export function scheduleTimeoutMs(
  schedule: SchedulerServiceTaskScheduleDefinition,
): number {
  const timeout = schedule.timeout as HumanDuration | { toMillis(): number };
  return 'toMillis' in timeout && typeof timeout.toMillis === 'function'
    ? timeout.toMillis()
    : durationToMilliseconds(timeout as HumanDuration);
}

/** Refuses a second entry of the same name, naming the list. */
export function uniqueNames(listPath: string) {
  const seen = new Set<string>();
  return (name: string) => {
    if (seen.has(name)) {
      throw new InputError(
        `Invalid app-config: ${listPath} lists "${name}" twice; names must be unique`,
      );
    }
    seen.add(name);
    return name;
  };
}
