/*
 * Dev fixture: serves the Argo CD Applications of a local GitOps repository
 * (apps/<service>/argocd/<env>.yaml) as a fake Argo CD API, with live images
 * equal to what Git wants unless a scenario file says otherwise.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     packages/fake-argocd/src/cli.ts --repo .gitops-repo --port 7010 \
 *     [--scenario examples/dev/fake-argocd-scenario.yaml]
 *
 * The token is read from FAKE_ARGOCD_TOKEN.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { FakeApplication, startFakeArgoCd } from './index';

/**
 * What a scenario file says of one Application. Times are durations before
 * the fake started (`90s`, `45m`, `3h`, `2d`), so the demo always shows a
 * state that began that long ago.
 */
interface ScenarioEntry {
  sync?: 'Synced' | 'OutOfSync' | 'Unknown';
  health?: string;
  images?: string[];
  /** `status.health.message`. */
  healthMessage?: string;
  /** How long ago the health took its status (`health.lastTransitionTime`). */
  healthSince?: string;
  /** The last sync operation (`status.operationState`). */
  operation?: { phase?: string; message?: string; finishedAgo?: string };
  /** `status.conditions[]`. */
  conditions?: Array<{ type: string; message: string; since?: string }>;
  /** Health of the Application's Deployment (`status.resources[]`). */
  deployment?: { health?: string; message?: string };
}

// The fake's start: scenario times are relative to it, so they stay the
// same from one scan to the next.
const started = Date.now();
// Healthy Applications took their state this long before the fake started.
const DEFAULT_AGO = '1h';

function ago(duration: string | undefined): string | undefined {
  if (!duration) return undefined;
  const match = /^(\d+)\s*([smhd])$/.exec(duration.trim());
  if (!match) {
    throw new Error(
      `scenario: "${duration}" is not a duration such as 90s, 45m, 3h or 2d`,
    );
  }
  const unit = { s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[match[2] as 's'];
  return new Date(started - Number(match[1]) * unit).toISOString();
}

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function readYaml(file: string): any {
  try {
    return parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function desiredImage(serviceDir: string, env: string): string | undefined {
  const k = readYaml(
    path.join(serviceDir, 'overlays', env, 'kustomization.yaml'),
  );
  const image = k?.images?.[0];
  if (!image) return undefined;
  const name = image.newName ?? image.name;
  return image.digest
    ? `${name}@${image.digest}`
    : `${name}:${image.newTag ?? 'latest'}`;
}

function scan(
  repo: string,
  scenario: Record<string, ScenarioEntry>,
): FakeApplication[] {
  const apps: FakeApplication[] = [];
  const appsDir = path.join(repo, 'apps');
  if (!fs.existsSync(appsDir)) return apps;
  for (const service of fs.readdirSync(appsDir).sort()) {
    const argoDir = path.join(appsDir, service, 'argocd');
    if (!fs.existsSync(argoDir)) continue;
    for (const file of fs.readdirSync(argoDir).sort()) {
      const app = readYaml(path.join(argoDir, file));
      if (app?.kind !== 'Application') continue;
      const env = file.replace(/\.ya?ml$/, '');
      const override = scenario[app.metadata.name] ?? {};
      const image = desiredImage(path.join(appsDir, service), env);
      const namespace = app.spec?.destination?.namespace;
      const finishedAt = ago(override.operation?.finishedAgo ?? DEFAULT_AGO)!;
      apps.push({
        metadata: app.metadata,
        spec: {
          project: app.spec?.project,
          source: app.spec?.source,
          destination: app.spec?.destination ?? {},
        },
        status: {
          sync: {
            status: override.sync ?? 'Synced',
            revision: '4f2a9c1d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b',
          },
          health: {
            status: override.health ?? 'Healthy',
            ...(override.healthMessage
              ? { message: override.healthMessage }
              : {}),
            lastTransitionTime: ago(override.healthSince ?? DEFAULT_AGO),
          },
          ...(override.conditions
            ? {
                conditions: override.conditions.map(c => ({
                  type: c.type,
                  message: c.message,
                  lastTransitionTime: ago(c.since),
                })),
              }
            : {}),
          resources: [
            {
              group: 'apps',
              version: 'v1',
              kind: 'Deployment',
              namespace,
              name: service,
              status: override.sync ?? 'Synced',
              health: {
                status: override.deployment?.health ?? 'Healthy',
                ...(override.deployment?.message
                  ? { message: override.deployment.message }
                  : {}),
              },
            },
          ],
          summary: { images: override.images ?? (image ? [image] : []) },
          operationState: {
            phase: override.operation?.phase ?? 'Succeeded',
            ...(override.operation?.message
              ? { message: override.operation.message }
              : {}),
            startedAt: new Date(Date.parse(finishedAt) - 4000).toISOString(),
            finishedAt,
          },
        },
      });
    }
  }
  return apps;
}

async function main() {
  const repo = path.resolve(arg('repo', '.gitops-repo')!);
  const port = Number(arg('port', '7010'));
  const scenarioFile = arg('scenario');
  const token = process.env.FAKE_ARGOCD_TOKEN;
  if (!token) throw new Error('set FAKE_ARGOCD_TOKEN');
  const scenario: Record<string, ScenarioEntry> =
    (scenarioFile && readYaml(path.resolve(scenarioFile))?.applications) || {};
  const fake = await startFakeArgoCd({
    token,
    port,
    latencyMs: Number(arg('latency', '0')),
  });
  const refresh = () => fake.setApplications(scan(repo, scenario));
  refresh();
  // New services created from the template appear within seconds.
  setInterval(refresh, 2000).unref();
  console.log(
    `fake Argo CD on ${fake.url}, serving the Applications of ${repo}`,
  );
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
