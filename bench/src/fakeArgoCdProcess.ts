/*
 * The benchmark's Argo CD: the fake API server of packages/fake-argocd in a
 * process of its own (so its work is not charged to the load generator),
 * driven over IPC by the runner. The huge phase runs several, one per
 * instance, each holding its block of the services.
 */
import { startFakeArgoCd } from '@internal/fake-argocd';
import { buildApplications } from './scenario';

export type FakeCommand = {
  id: number;
} /** Services [from, to) of the scenario (from defaults to 0). */ & (
  | { cmd: 'load'; from?: number; to: number }
  | { cmd: 'counts' }
  | { cmd: 'reset' }
);
type DistributiveOmitId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type FakeRequest = DistributiveOmitId<FakeCommand>;

export interface FakeCounts {
  total: number;
  /** Full listings without a selector: what a poller sends. */
  listAll: number;
}

async function main() {
  const port = Number(process.env.BENCH_FAKE_PORT);
  const fake = await startFakeArgoCd({
    token: process.env.BENCH_ARGOCD_TOKEN!,
    latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 25),
    port,
  });
  let counts: FakeCounts = { total: 0, listAll: 0 };
  let seen = 0;
  process.on('message', (message: FakeCommand) => {
    const reply = (body: unknown) => process.send!({ id: message.id, body });
    if (message.cmd === 'load') {
      const apps = buildApplications(message.from ?? 0, message.to);
      fake.setApplications(apps);
      reply({ applications: apps.length });
    } else if (message.cmd === 'reset') {
      fake.resetRequests();
      counts = { total: 0, listAll: 0 };
      seen = 0;
      reply({});
    } else if (message.cmd === 'counts') {
      // Only the requests since the last call are looked at.
      for (; seen < fake.requests.length; seen++) {
        const r = fake.requests[seen];
        counts.total++;
        if (
          r.path === '/api/v1/applications' &&
          !r.query.selector &&
          !r.query.name
        ) {
          counts.listAll++;
        }
      }
      reply({ ...counts });
    }
  });
  process.send!({ id: 0, body: { url: fake.url } });
}

main().catch(e => {
  // eslint-disable-next-line no-console
  console.error(e);
  process.exit(1);
});
