import fs from 'node:fs';

/**
 * Our backend logs one line per full poll cycle (every provider polled
 * once), at info level: `GitOps poll cycle: 10 providers, 100002 resources
 * in 8123 ms`, followed by `; 2 failed, serving their last state` when some
 * polls failed. In production the line is JSON with this in `message`; the
 * pattern finds it either way.
 */
export const POLL_CYCLE_PATTERN =
  /GitOps poll cycle: (\d+) providers, (\d+) resources in (\d+) ms(?:; (\d+) failed)?/;

export interface PollCycle {
  providers: number;
  resources: number;
  ms: number;
  /** Providers whose poll failed in that cycle. */
  failed: number;
}

/** The first poll cycle line in `text`, if any. */
export function firstPollCycle(text: string): PollCycle | undefined {
  const m = POLL_CYCLE_PATTERN.exec(text);
  return m
    ? {
        providers: Number(m[1]),
        resources: Number(m[2]),
        ms: Number(m[3]),
        failed: Number(m[4] ?? 0),
      }
    : undefined;
}

/** The size of a log file now: where what a process logs next begins. */
export function logOffset(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** The first poll cycle logged into `file` after byte `offset`. */
export function readPollCycle(
  file: string,
  offset: number,
): PollCycle | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file).subarray(offset).toString('utf8');
  } catch {
    return undefined;
  }
  return firstPollCycle(text);
}

/**
 * Waits until a poll cycle line is logged into `file` after byte `offset`
 * (so no poll of that cycle is in flight); resolves with how long that
 * took, or undefined after `timeoutMs` without one.
 */
export async function waitForPollCycle(
  file: string,
  offset: number,
  timeoutMs: number,
): Promise<number | undefined> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (readPollCycle(file, offset)) return Date.now() - start;
    await new Promise(r => setTimeout(r, 200));
  }
  return undefined;
}
