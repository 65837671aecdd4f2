/*
 * The fake Argo CD instances, driven over IPC: one for the 3,000 and 30,000
 * application phases, a fleet of them (one process and port each) for the
 * huge phase.
 */
import { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { FakeCounts, FakeRequest } from './fakeArgoCdProcess';
import { LOGS_DIR, spawnTs, stop } from './processes';
import { fleetInstances } from './scenario';

/** What the measurements need of the upstream: its request counts. */
export interface Upstream {
  reset(): Promise<unknown>;
  counts(): Promise<FakeCounts>;
}

export class FakeArgoCd implements Upstream {
  private nextId = 1;
  private readonly pending = new Map<number, (body: any) => void>();

  private constructor(readonly child: ChildProcess, readonly port: number) {
    child.on('message', (m: { id: number; body: unknown }) => {
      this.pending.get(m.id)?.(m.body);
      this.pending.delete(m.id);
    });
  }

  static async start(options: {
    port: number;
    token: string;
    latencyMs: number;
    logFile: string;
  }) {
    const child = spawnTs(
      'fakeArgoCdProcess.ts',
      [],
      {
        BENCH_FAKE_PORT: String(options.port),
        BENCH_ARGOCD_TOKEN: options.token,
        BENCH_LATENCY_MS: String(options.latencyMs),
      },
      options.logFile,
    );
    const fake = new FakeArgoCd(child, options.port);
    const ready = new Promise<void>((resolve, reject) => {
      fake.pending.set(0, () => resolve());
      child.once('exit', code =>
        reject(
          new Error(
            `the fake Argo CD on port ${options.port} exited (${code}); see ${options.logFile}`,
          ),
        ),
      );
    });
    await ready;
    return fake;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  send<T>(command: FakeRequest): Promise<T> {
    const id = this.nextId++;
    return new Promise(resolve => {
      this.pending.set(id, resolve);
      this.child.send({ ...command, id });
    });
  }

  /** Services [0, services). */
  load = (services: number) => this.loadRange(0, services);
  /** Services [from, to). */
  loadRange = (from: number, to: number) =>
    this.send<{ applications: number }>({ cmd: 'load', from, to });
  reset = () => this.send({ cmd: 'reset' });
  counts = () => this.send<FakeCounts>({ cmd: 'counts' });
}

/** The port of the k-th instance of the fleet: 0 is the phases' own fake. */
export function fleetPort(k: number, basePort: number, firstPort: number) {
  return k === 0 ? firstPort : basePort + k - 1;
}

export interface FleetMember {
  name: string;
  fake: FakeArgoCd;
  from: number;
  to: number;
}

/**
 * Several fake Argo CD instances, each its own process and port, holding the
 * services in contiguous blocks (`fleetInstances`). The first is the fake
 * the other phases use, reloaded with its block; the others are started
 * here and stopped by `stopAdded`.
 */
export class FakeFleet implements Upstream {
  private constructor(readonly members: FleetMember[]) {}

  static async start(options: {
    first: FakeArgoCd;
    services: number;
    instances: number;
    /** Port of the second instance; the k-th (k >= 1) is basePort + k - 1. */
    basePort: number;
    token: string;
    latencyMs: number;
  }) {
    const blocks = fleetInstances(options.services, options.instances);
    const members: FleetMember[] = [{ ...blocks[0], fake: options.first }];
    const fleet = new FakeFleet(members);
    // Started and loaded all at once: the two cores are kept busy while
    // each process loads its code.
    const started = await Promise.allSettled(
      blocks.slice(1).map((block, i) =>
        FakeArgoCd.start({
          port: fleetPort(i + 1, options.basePort, options.first.port),
          token: options.token,
          latencyMs: options.latencyMs,
          logFile: path.join(LOGS_DIR, `fake-argocd-${block.name}.log`),
        }),
      ),
    );
    started.forEach((s, i) => {
      if (s.status === 'fulfilled') {
        members.push({ ...blocks[i + 1], fake: s.value });
      }
    });
    try {
      const failed = started.find(s => s.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      await Promise.all(members.map(m => m.fake.loadRange(m.from, m.to)));
      return fleet;
    } catch (e) {
      await fleet.stopAdded();
      throw e;
    }
  }

  /** Applications the fleet holds in all. */
  get applications() {
    return this.members.reduce((sum, m) => sum + (m.to - m.from) * 3, 0);
  }

  async reset() {
    for (const m of this.members) await m.fake.reset();
  }

  async counts(): Promise<FakeCounts> {
    const all = await Promise.all(this.members.map(m => m.fake.counts()));
    return all.reduce(
      (sum, c) => ({
        total: sum.total + c.total,
        listAll: sum.listAll + c.listAll,
      }),
      { total: 0, listAll: 0 },
    );
  }

  /** Stops the instances the fleet started (not the first). */
  async stopAdded() {
    for (const m of this.members.slice(1)) await stop(m.fake.child);
  }
}
