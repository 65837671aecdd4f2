import { expect, Locator, Page, test } from '@playwright/test';
import {
  followGitopsRepository,
  FakeArgoCd,
  startFakeArgoCd,
} from '@internal/fake-argocd';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// Promotion and rollback as a new user tries them in the demo: staging's
// healthy version goes to production from the tab, as one commit that
// changes only production's overlay; the fake Argo CD follows Git and the
// tab shows the new live version; production is rolled back from its
// history; an unhealthy staging cannot be promoted and says why.
test.describe.configure({ mode: 'serial' });
// The development backend restarts when files change; waits are long.
test.setTimeout(420_000);

const TOKEN = process.env.FAKE_ARGOCD_TOKEN!;
const REPO = process.env.E2E_GITOPS_REPO!;
const ARTIFACTS = 'e2e/artifacts';
const OVERLAY = 'apps/inference-api/overlays/production/kustomization.yaml';
const STAGING_VERSION = 'v1.5.0-rc.1';
const PRODUCTION_VERSION = 'v1.4.2';
// Long enough to see the drift before the fake rolls the change out.
const FOLLOW_DELAY_MS = 20_000;

let argo: FakeArgoCd;
let stopFollowing: () => void;

function git(...args: string[]): string {
  return execFileSync('git', ['-C', REPO, ...args], {
    encoding: 'utf8',
  }).trim();
}

/** The commits since `base`, each with the files it changed. */
function commitsSince(base: string) {
  return git('rev-list', '--reverse', `${base}..HEAD`)
    .split('\n')
    .filter(Boolean)
    .map(sha => ({
      sha,
      files: git('show', '--name-only', '--format=', sha)
        .split('\n')
        .filter(Boolean),
    }));
}

function overlayTag(): string | undefined {
  const text = fs.readFileSync(path.join(REPO, OVERLAY), 'utf8');
  return /newTag:\s*(\S+)/.exec(text)?.[1];
}

async function waitForBackend() {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch('http://localhost:7007/api/gitops/health')).ok) return;
    } catch {
      // not up yet
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error('backend did not start');
}

async function signIn(page: Page, theme: 'light' | 'dark' = 'light') {
  await page.addInitScript(t => window.localStorage.setItem('theme', t), theme);
  await expect(async () => {
    await page.goto('/');
    const guest = page.getByRole('button', { name: /enter/i });
    if (await guest.isVisible({ timeout: 15_000 }).catch(() => false)) {
      await guest.click();
    }
    await expect(page.getByRole('link', { name: 'Create...' })).toBeVisible({
      timeout: 10_000,
    });
  }).toPass({ timeout: 120_000 });
}

/** The tab, reloaded until `check` holds (the poller and Git index catch up). */
async function openTabUntil(
  page: Page,
  component: string,
  check: (production: Locator) => Promise<void>,
  timeout = 180_000,
) {
  const production = page.getByRole('row').filter({ hasText: 'production' });
  await expect(async () => {
    await page.goto(`/catalog/default/component/${component}/gitops`);
    await check(production);
  }).toPass({ timeout });
  return production;
}

test.beforeAll(async () => {
  await waitForBackend();
  const root = path.resolve(__dirname, '../..');
  execFileSync(
    process.execPath,
    [
      '--require',
      '@backstage/cli/config/nodeTransform.cjs',
      'scripts/dev/seed-gitops-repo.ts',
      REPO,
    ],
    { cwd: root, stdio: 'pipe' },
  );
  // A retry starts again from the seeded production version.
  if (overlayTag() !== PRODUCTION_VERSION) {
    const file = path.join(REPO, OVERLAY);
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace(/newTag:\s*\S+/, `newTag: ${PRODUCTION_VERSION}`),
    );
    git(
      '-c',
      'user.name=e2e',
      '-c',
      'user.email=e2e@backstage.invalid',
      'commit',
      '-qam',
      'e2e: production back to the seeded version',
    );
  }
  argo = await startFakeArgoCd({ token: TOKEN, port: 7010 });
  stopFollowing = followGitopsRepository(argo, {
    repo: REPO,
    followDelayMs: FOLLOW_DELAY_MS,
    intervalMs: 1000,
    // A staging rollout that is not finished: it cannot be promoted.
    scenario: {
      'embeddings-worker-staging': { sync: 'Synced', health: 'Progressing' },
    },
  });
});

test.afterAll(async () => {
  stopFollowing?.();
  await argo?.close();
});

test("promotes staging's healthy version to production from the tab, as one commit changing only production's overlay", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page);
  // Settled: production runs what Git wants, and staging's version may go.
  const production = await openTabUntil(page, 'inference-api', async row => {
    await expect(
      row.getByRole('button', {
        name: `Promote ${STAGING_VERSION} from staging`,
      }),
    ).toBeEnabled({ timeout: 5000 });
    await expect(row.getByText('drift')).toHaveCount(0);
    await expect(
      row.locator('code', { hasText: PRODUCTION_VERSION }),
    ).toHaveCount(2);
  });
  const base = git('rev-parse', 'HEAD');

  await production
    .getByRole('button', { name: `Promote ${STAGING_VERSION} from staging` })
    .click();
  const dialog = page.getByRole('dialog');
  await expect(
    dialog.getByRole('heading', {
      name: `Promote ${STAGING_VERSION} from staging to production`,
    }),
  ).toBeVisible();
  await expect(dialog).toContainText(
    `staging runs ${STAGING_VERSION}, Synced and Healthy since`,
  );
  await expect(dialog).toContainText(
    `production (wants ${PRODUCTION_VERSION}, will want ${STAGING_VERSION})`,
  );
  await dialog.getByLabel('Reason').fill('Release candidate passed staging');
  // Once the dialog has faded in.
  await expect(dialog.locator('xpath=..')).toHaveCSS('opacity', '1');
  await page.screenshot({
    path: `${ARTIFACTS}/promote-dialog-1280-light.png`,
    fullPage: true,
  });

  await dialog.getByRole('button', { name: 'Promote' }).click();
  const committed = dialog.getByText(/^Committed/);
  await expect(committed).toBeVisible({ timeout: 120_000 });
  await page.screenshot({
    path: `${ARTIFACTS}/promote-dialog-done-1280-light.png`,
    fullPage: true,
  });

  // Exactly one commit, changing only production's overlay, named in the dialog.
  const commits = commitsSince(base);
  expect(commits.map(c => c.files)).toEqual([[OVERLAY]]);
  await expect(committed).toContainText(commits[0].sha.slice(0, 7));
  expect(overlayTag()).toBe(STAGING_VERSION);
  expect(git('log', '-1', '--format=%B')).toContain(
    'Reason: Release candidate passed staging',
  );
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Git wants the new version; the old one still runs: drift. (Reloads,
  // not the Refresh button: its tooltip takes its name while hovered.)
  await expect(async () => {
    await page.reload();
    await expect(production.getByText('drift')).toBeVisible({
      timeout: 5000,
    });
    await expect(
      production.locator('code', { hasText: STAGING_VERSION }),
    ).toHaveCount(1);
    await expect(
      production.locator('code', { hasText: PRODUCTION_VERSION }),
    ).toHaveCount(1);
  }).toPass({ timeout: 60_000 });
  await page.screenshot({
    path: `${ARTIFACTS}/promote-tab-drift-1280-light.png`,
    fullPage: true,
  });

  // Once the fake Argo CD has followed Git, the new version runs.
  await expect(async () => {
    await page.reload();
    await expect(
      production.locator('code', { hasText: STAGING_VERSION }),
    ).toHaveCount(2, { timeout: 5000 });
    await expect(production.getByText('drift')).toHaveCount(0);
  }).toPass({ timeout: 120_000 });
  await expect(production).not.toContainText(PRODUCTION_VERSION);
  await expect(production).toContainText(STAGING_VERSION);
});

test('rolls production back from its history', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page);
  await openTabUntil(page, 'inference-api', async row => {
    await expect(row).toContainText(STAGING_VERSION, { timeout: 5000 });
  });
  const base = git('rev-parse', 'HEAD');

  await page.getByText('History of production').click();
  const history = page.getByRole('list', { name: 'History of production' });
  const earlier = history
    .getByRole('listitem')
    .filter({ has: page.locator('code', { hasText: PRODUCTION_VERSION }) })
    .first();
  await expect(async () => {
    // The poller records the new run within a poll or two.
    await expect(history.getByRole('listitem').first()).toContainText(
      STAGING_VERSION,
      { timeout: 2000 },
    );
  }).toPass({ timeout: 60_000 });
  await earlier.getByRole('button', { name: 'Roll back to this' }).click();

  const dialog = page.getByRole('dialog');
  await expect(
    dialog.getByRole('heading', {
      name: `Roll back production to ${PRODUCTION_VERSION}`,
    }),
  ).toBeVisible();
  await expect(dialog).toContainText(`production ran ${PRODUCTION_VERSION}`);
  await dialog.getByRole('button', { name: 'Roll back' }).click();
  await expect(dialog.getByText(/^Committed/)).toBeVisible({
    timeout: 120_000,
  });
  expect(commitsSince(base).map(c => c.files)).toEqual([[OVERLAY]]);
  expect(overlayTag()).toBe(PRODUCTION_VERSION);
  expect(git('log', '-1', '--format=%s')).toBe(
    `Roll back inference-api in production to ${PRODUCTION_VERSION}`,
  );
  await dialog.getByRole('button', { name: 'Close' }).click();
});

test('the promotion dialog reads in the dark theme', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, 'dark');
  const production = await openTabUntil(page, 'inference-api', async row => {
    await expect(
      row.getByRole('button', {
        name: `Promote ${STAGING_VERSION} from staging`,
      }),
    ).toBeEnabled({ timeout: 5000 });
  });
  await page.screenshot({
    path: `${ARTIFACTS}/promote-tab-1280-dark.png`,
    fullPage: true,
  });
  await production
    .getByRole('button', { name: `Promote ${STAGING_VERSION} from staging` })
    .click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Reason').fill('Release candidate passed staging');
  // Once the dialog has faded in.
  await expect(dialog.locator('xpath=..')).toHaveCSS('opacity', '1');
  await page.screenshot({
    path: `${ARTIFACTS}/promote-dialog-1280-dark.png`,
    fullPage: true,
  });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
});

test('an unhealthy staging cannot be promoted, and the tab says why', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page);
  const production = await openTabUntil(
    page,
    'embeddings-worker',
    async row => {
      await expect(row.getByRole('button', { name: /^Promote/ })).toBeVisible({
        timeout: 5000,
      });
    },
  );
  const button = production.getByRole('button', { name: /^Promote/ });
  await expect(button).toBeDisabled();
  await expect(production).toContainText(
    /staging is Synced \/ Progressing since .*; promoting to production needs staging Synced and Healthy, running what Git wants/,
  );
  await page.screenshot({
    path: `${ARTIFACTS}/promote-unhealthy-1280-light.png`,
    fullPage: true,
  });
});
