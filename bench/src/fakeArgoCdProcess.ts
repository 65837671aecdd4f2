/*
 * The benchmark's Argo CD: the fake API server of packages/fake-argocd in a
 * process of its own (so its work is not charged to the load generator),
 * driven over IPC by the runner.
 */
import { startFakeArgoCd } from '@internal/fake-argocd';
import { buildApplications } from './scenario';

export type FakeCommand = { id: number } & (
  | { cmd: 'load'; services: number }
  | { cmd: 'counts' }
  | { cmd: 'reset' }
);
type DistributiveOmitId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type FakeRequest = DistributiveOmitId<FakeCommand>;

export interface FakeCounts {
  total: number;
  /** Full listings without a selector: what a poller sends. */
  listAll: number;
  /** Lookups for one service (selector, name or single application). */
  lookups: number;
  sessions: number;
}

async function main() {
  const port = Number(process.env.BENCH_FAKE_PORT);
  const fake = await startFakeArgoCd({
    token: process.env.BENCH_ARGOCD_TOKEN!,
    latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 25),
    port,
  });
  process.on('message', (message: FakeCommand) => {
    const reply = (body: unknown) => process.send!({ id: message.id, body });
    if (message.cmd === 'load') {
      fake.setApplications(buildApplications(message.services));
      reply({ applications: message.services * 3 });
    } else if (message.cmd === 'reset') {
      fake.resetRequests();
      reply({});
    } else if (message.cmd === 'counts') {
      const counts: FakeCounts = {
        total: 0,
        listAll: 0,
        lookups: 0,
        sessions: 0,
      };
      for (const r of fake.requests) {
        counts.total++;
        if (r.path === '/api/v1/session') counts.sessions++;
        else if (
          r.path === '/api/v1/applications' &&
          !r.query.selector &&
          !r.query.name
        ) {
          counts.listAll++;
        } else counts.lookups++;
      }
      reply(counts);
    }
  });
  process.send!({ id: 0, body: { url: fake.url } });
}

main().catch(e => {
  // eslint-disable-next-line no-console
  console.error(e);
  process.exit(1);
});
