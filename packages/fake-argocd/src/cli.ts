/*
 * Dev fixture: serves the Argo CD Applications of a local GitOps repository
 * (apps/<service>/argocd/<env>.yaml) as a fake Argo CD API. Live images
 * follow Git as an automated sync would: a changed overlay is OutOfSync for
 * --follow-delay seconds (default 10), then Synced and Healthy on the new
 * image; a scenario file pins the state of the Applications it lists.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     packages/fake-argocd/src/cli.ts --repo .gitops-repo --port 7010 \
 *     [--scenario examples/dev/fake-argocd-scenario.yaml] [--follow-delay 10]
 *
 * The token is read from FAKE_ARGOCD_TOKEN.
 */
import path from 'node:path';
import { followGitopsRepository, readScenario } from './followGit';
import { startFakeArgoCd } from './index';

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main() {
  const repo = path.resolve(arg('repo', '.gitops-repo')!);
  const port = Number(arg('port', '7010'));
  const scenarioFile = arg('scenario');
  const followDelay = Number(arg('follow-delay', '10'));
  if (!Number.isFinite(followDelay) || followDelay < 0) {
    throw new Error('--follow-delay must be a number of seconds, 0 or more');
  }
  const token = process.env.FAKE_ARGOCD_TOKEN;
  if (!token) throw new Error('set FAKE_ARGOCD_TOKEN');
  const fake = await startFakeArgoCd({
    token,
    port,
    latencyMs: Number(arg('latency', '0')),
  });
  // New services created from the template appear within seconds, and
  // promotions roll out after the delay.
  followGitopsRepository(fake, {
    repo,
    scenario: scenarioFile ? readScenario(path.resolve(scenarioFile)) : {},
    followDelayMs: followDelay * 1000,
  });
  console.log(
    `fake Argo CD on ${fake.url}, following the Applications of ${repo}`,
  );
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
