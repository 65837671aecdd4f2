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

interface ScenarioEntry {
  sync?: 'Synced' | 'OutOfSync' | 'Unknown';
  health?: string;
  images?: string[];
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
          health: { status: override.health ?? 'Healthy' },
          summary: { images: override.images ?? (image ? [image] : []) },
          operationState: {
            phase: 'Succeeded',
            finishedAt: new Date(Date.now() - 3_600_000).toISOString(),
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
