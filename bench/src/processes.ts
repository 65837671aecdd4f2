/*
 * The processes the bench starts (backends, fakes) and what it reads of
 * them from /proc: CPU time, idleness, memory.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { MEMORY_SETTLE_MS } from './results';
import { elapsedMs } from './stats';

export const BENCH_DIR = resolvePackagePath('@internal/bench');
const SRC_DIR = path.join(BENCH_DIR, 'src');
// BENCH_RESULTS_DIR: elsewhere than bench/results (the test command's smoke run).
export const RESULTS_DIR = path.resolve(
  process.env.BENCH_RESULTS_DIR || path.join(BENCH_DIR, 'results'),
);
export const LOGS_DIR = path.join(RESULTS_DIR, 'logs');
const NODE_TRANSFORM = require.resolve(
  '@backstage/cli/config/nodeTransform.cjs',
);

export const log = (message: string) =>
  // eslint-disable-next-line no-console
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Runs one of bench/src's TypeScript files in a process of its own, logging into `logFile`. */
export function spawnTs(
  file: string,
  args: string[],
  env: Record<string, string>,
  logFile: string,
  nodeOptions: string[] = [],
): ChildProcess {
  const out = fs.openSync(logFile, 'a');
  try {
    return fork(path.join(SRC_DIR, file), args, {
      execArgv: ['--require', NODE_TRANSFORM, ...nodeOptions],
      env: { ...process.env, ...env },
      stdio: ['ignore', out, out, 'ipc'],
    });
  } finally {
    // The child has its own copy.
    fs.closeSync(out);
  }
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the process has exited. */
export async function stop(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(r => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** CPU time (user + system) a process has used, in ms. */
function cpuMsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/**
 * Waits until the process is idle (under 5% of a core over half a second):
 * what it does in the background after start (loading caches) is over, so
 * warm measurements measure requests only.
 */
export async function waitForIdle(pid: number) {
  const start = process.hrtime.bigint();
  let before = cpuMsOf(pid);
  while (elapsedMs(start) < 120_000) {
    await sleep(500);
    const now = cpuMsOf(pid);
    if (now - before < 25) return elapsedMs(start);
    before = now;
  }
  return elapsedMs(start);
}

/** RSS now and its high-water mark, in MiB. */
export function memoryOf(pid: number) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

/**
 * The RSS by kind of mapping, in MiB: files (the node binary, native
 * addons), the main malloc heap (`[heap]`), and anonymous memory (V8's
 * pages, malloc's other arenas and large blocks).
 */
export function mappingsOf(pid: number): Record<string, number> {
  const sums = { rssFiles: 0, rssMallocHeap: 0, rssAnonymous: 0 };
  let kind: keyof typeof sums = 'rssAnonymous';
  for (const line of fs
    .readFileSync(`/proc/${pid}/smaps`, 'utf8')
    .split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (header) {
      const name = header[1];
      if (name === '[heap]') kind = 'rssMallocHeap';
      else if (name.startsWith('/')) kind = 'rssFiles';
      else kind = 'rssAnonymous';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) sums[kind] += Number(rss[1]);
  }
  return Object.fromEntries(
    Object.entries(sums).map(([k, kib]) => [k, Math.round(kib / 102.4) / 10]),
  );
}

/** The inspector's port when opened by SIGUSR1 (Node's default). */
export const INSPECTOR_PORT = 9229;

/** A process's memory a few seconds after a full garbage collection. */
export interface MemoryAfterGc {
  /** VmRSS, read from /proc after the collection and the wait. */
  rssMiB: number;
  /** V8's heapUsed after the collection. */
  heapUsedMiB: number;
  /**
   * Where the RSS goes, for the log: V8's heap (committed, per space),
   * external memory and array buffers, in MiB.
   */
  breakdown?: Record<string, number>;
}

/** An answer of the inspector protocol. */
type InspectorReply = { id: number; result?: any; error?: any };

/**
 * Forces a full GC in a running Node process through its inspector, then
 * reads its memory once V8 has had time to return the freed pages: SIGUSR1
 * (Node opens its inspector on 127.0.0.1:9229), `/json/list`, one WebSocket
 * session, `HeapProfiler.collectGarbage`, MEMORY_SETTLE_MS, then
 * `process.memoryUsage()` and VmRSS. The inspector is closed inside the
 * process so that the port is free for the next one. One process at a time:
 * call it sequentially. Bounded in time; on any failure gives undefined and
 * passes why to `onError`.
 */
export async function memoryAfterGc(
  pid: number,
  onError: (reason: string) => void = () => {},
  options: { heapSnapshotFile?: string } = {},
): Promise<MemoryAfterGc | undefined> {
  const base = `http://127.0.0.1:${INSPECTOR_PORT}`;
  let socket: WebSocket | undefined;
  try {
    // Another process's inspector still on the port would be measured
    // instead of this one.
    if (await portAnswers(INSPECTOR_PORT)) {
      throw new Error(`port ${INSPECTOR_PORT} is already in use`);
    }
    process.kill(pid, 'SIGUSR1');
    let url: string | undefined;
    const asked = process.hrtime.bigint();
    while (!url) {
      try {
        const response = await fetch(`${base}/json/list`, {
          signal: AbortSignal.timeout(1000),
        });
        const targets = (await response.json()) as Array<{
          webSocketDebuggerUrl?: string;
        }>;
        url = targets.find(t => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
      } catch {
        // not listening yet
      }
      if (!url) {
        if (elapsedMs(asked) > 5000) {
          throw new Error(`no inspector on port ${INSPECTOR_PORT} within 5 s`);
        }
        await sleep(100);
      }
    }

    const ws = new WebSocket(url);
    socket = ws;
    const pending = new Map<number, (reply: InspectorReply) => void>();
    ws.addEventListener('message', event => {
      const reply = JSON.parse(String(event.data)) as InspectorReply;
      pending.get(reply.id)?.(reply);
      pending.delete(reply.id);
    });
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        ws.addEventListener('open', () => resolve());
        ws.addEventListener('error', () =>
          reject(new Error('inspector WebSocket error')),
        );
      }),
      5000,
      'connecting to the inspector',
    );
    let nextId = 1;
    const send = (method: string, params?: object) => {
      const id = nextId++;
      const reply = new Promise<InspectorReply>(resolve =>
        pending.set(id, resolve),
      );
      ws.send(JSON.stringify({ id, method, params }));
      return reply;
    };
    const evaluate = async (expression: string, timeoutMs = 5000) => {
      const reply = await withTimeout(
        send('Runtime.evaluate', { expression, returnByValue: true }),
        timeoutMs,
        expression,
      );
      if (reply.error || reply.result?.exceptionDetails) {
        throw new Error(
          `${expression}: ${JSON.stringify(
            reply.error ?? reply.result.exceptionDetails,
          )}`,
        );
      }
      return reply.result?.result?.value;
    };

    // The process on the port is the one asked for.
    const onPort = await evaluate('process.pid');
    if (onPort !== pid) {
      throw new Error(`the inspector on the port is process ${onPort}`);
    }
    const collected = await withTimeout(
      send('HeapProfiler.collectGarbage'),
      30_000,
      'HeapProfiler.collectGarbage',
    );
    if (collected.error) {
      throw new Error(
        `HeapProfiler.collectGarbage: ${JSON.stringify(collected.error)}`,
      );
    }
    // V8 hands freed pages back to the system shortly after.
    await sleep(MEMORY_SETTLE_MS);
    const usage = JSON.parse(
      await evaluate('JSON.stringify(process.memoryUsage())'),
    ) as NodeJS.MemoryUsage;
    const spaces = JSON.parse(
      await evaluate(
        "JSON.stringify(process.getBuiltinModule('node:v8').getHeapSpaceStatistics())",
      ),
    ) as Array<{ space_name: string; physical_space_size: number }>;
    const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
    const breakdown: Record<string, number> = {
      heapTotal: mib(usage.heapTotal),
      heapUsed: mib(usage.heapUsed),
      external: mib(usage.external),
      arrayBuffers: mib(usage.arrayBuffers),
    };
    for (const space of spaces) {
      breakdown[space.space_name] = mib(space.physical_space_size);
    }
    if (options.heapSnapshotFile) {
      // Written by the process itself; can take seconds for a large heap.
      await evaluate(
        `process.getBuiltinModule('node:v8').writeHeapSnapshot(${JSON.stringify(
          options.heapSnapshotFile,
        )})`,
        120_000,
      );
    }
    await closeInspector(ws, nextId++);
    socket = undefined;
    const freed = process.hrtime.bigint();
    while (await portAnswers(INSPECTOR_PORT)) {
      if (elapsedMs(freed) > 5000) {
        throw new Error(`port ${INSPECTOR_PORT} still in use after closing`);
      }
      await sleep(100);
    }
    return {
      rssMiB: memoryOf(pid).rssMiB,
      heapUsedMiB: usage.heapUsed / 2 ** 20,
      breakdown: { ...breakdown, ...mappingsOf(pid) },
    };
  } catch (e) {
    if (socket) await closeInspector(socket, 1000).catch(() => {});
    onError(String((e as Error)?.message ?? e));
    return undefined;
  }
}

/**
 * Closes the inspector from inside the process (so that its port is free),
 * then the session. `inspector.close()` returns only once every session is
 * gone, so its reply is not waited for.
 */
async function closeInspector(ws: WebSocket, id: number) {
  if (ws.readyState === WebSocket.OPEN) {
    ws.send(
      JSON.stringify({
        id,
        method: 'Runtime.evaluate',
        params: {
          expression:
            "(process.getBuiltinModule?.('node:inspector') ?? process.mainModule.require('inspector')).close()",
        },
      }),
    );
    await sleep(100);
  }
  ws.close();
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string) {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what}: no answer within ${ms / 1000} s`)),
        ms,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

export async function portAnswers(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
