import { expect, Page, test } from '@playwright/test';
import {
  fakeApplication,
  FakeArgoCd,
  startFakeArgoCd,
} from '@internal/fake-argocd';

// The golden path as a user clicks through it: create a service from the
// template, find it in the catalog, watch its environments' status, see it on
// the team page. Serial: each step builds on the one before.
test.describe.configure({ mode: 'serial' });

const TOKEN = process.env.FAKE_ARGOCD_TOKEN!;
// A retry runs the serial group again in a new worker: a fresh name keeps it
// from colliding with the service the failed attempt may have created.
const NAME = `my-ai-service-${Math.random().toString(36).slice(2, 6)}`;
const IMAGE = `registry.example.com/${NAME}`;
const ARTIFACTS = 'e2e/artifacts';

let argo: FakeArgoCd;
const bodies: string[] = [];

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

async function signIn(page: Page) {
  // Every response the browser receives is kept to check for the token.
  page.on('response', async response => {
    try {
      bodies.push(
        `${response.url()}\n${JSON.stringify(
          await response.allHeaders(),
        )}\n${await response.text()}`,
      );
    } catch {
      // redirects and aborted requests have no body
    }
  });
  await page.goto('/');
  const guest = page.getByRole('button', { name: /enter/i });
  if (await guest.isVisible({ timeout: 15_000 }).catch(() => false)) {
    await guest.click();
  }
  // Signed in once the sidebar is there (the sign-in page has the title too).
  await expect(page.getByRole('link', { name: 'Create...' })).toBeVisible();
}

async function openTemplate(page: Page) {
  await page.goto('/create');
  // The card of the golden path's template, not another template's: the
  // deepest element that holds both its title and a Choose button.
  const card = page
    .locator('div, article')
    .filter({ hasText: 'GitOps service (Kustomize + ExternalSecrets)' })
    .filter({ has: page.getByRole('button', { name: /choose/i }) })
    .last();
  await card.getByRole('button', { name: /choose/i }).click();
}

test.beforeAll(async () => {
  argo = await startFakeArgoCd({ token: TOKEN, port: 7010 });
  await waitForBackend();
});

test.afterAll(async () => {
  await argo?.close();
});

test('a developer creates a service from the template', async ({ page }) => {
  await signIn(page);
  await openTemplate(page);

  await page.getByLabel('Name', { exact: false }).first().fill(NAME);
  const owner = page.getByRole('textbox', { name: 'Owner' });
  await owner.click();
  await owner.fill('ml-team');
  await page
    .getByRole('option', { name: /ml-team/ })
    .first()
    .click();
  await page.getByLabel('Image repository').fill(IMAGE);
  await page.getByRole('button', { name: 'Next' }).click();

  for (const [variable, key] of [
    ['DATABASE_URL', 'MY_AI_SERVICE_DATABASE_URL'],
    ['API_KEY', 'MY_AI_SERVICE_API_KEY'],
  ]) {
    await page.getByRole('button', { name: /add/i }).last().click();
    await page.getByLabel('Environment variable').last().fill(variable);
    await page.getByLabel('Key in the secret store').last().fill(key);
  }
  await page.getByRole('button', { name: 'Next' }).click();

  const tags = page.getByLabel('Image tag or digest');
  await expect(tags).toHaveCount(2);
  await tags.nth(0).fill('latest');
  await tags.nth(1).fill('v1.2.3');
  await page.getByRole('button', { name: 'Review' }).click();

  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByText(/Open in catalog/i)).toBeVisible({
    timeout: 120_000,
  });
  await page.screenshot({
    path: `${ARTIFACTS}/task-completed.png`,
    fullPage: true,
  });
});

test("the component is in the catalog, and its GitOps tab shows Git's tags", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/catalog/default/component/${NAME}/gitops`);
  const rows = page.getByRole('row');
  // Rows are in promotion order; production's also names staging, the
  // environment it promotes from.
  await expect(rows.filter({ hasText: 'staging' }).first()).toContainText(
    'latest',
  );
  await expect(rows.filter({ hasText: 'production' })).toContainText('v1.2.3');
});

test('live status from Argo CD shows on the tab, with drift', async ({
  page,
}) => {
  argo.setApplications([
    fakeApplication({
      service: NAME,
      environment: 'staging',
      images: [`${IMAGE}:latest`],
    }),
    fakeApplication({
      service: NAME,
      environment: 'production',
      images: [`${IMAGE}:v1.2.2`],
      sync: 'OutOfSync',
      health: 'Degraded',
    }),
  ]);
  await signIn(page);
  await page.goto(`/catalog/default/component/${NAME}/gitops`);
  const production = page.getByRole('row').filter({ hasText: 'production' });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(production).toContainText('OutOfSync', { timeout: 2000 });
  }).toPass({ timeout: 60_000 });
  await expect(production).toContainText('Degraded');
  await expect(production).toContainText('v1.2.2');
  await expect(production.getByText('drift')).toBeVisible();
  const staging = page.getByRole('row').filter({ hasText: 'staging' }).first();
  await expect(staging).toContainText('Synced');
  await expect(staging).toContainText('Healthy');
  await page.screenshot({
    path: `${ARTIFACTS}/entity-gitops-tab.png`,
    fullPage: true,
  });

  await page.goto(`/catalog/default/component/${NAME}`);
  const card = page
    .locator('[class*="MuiCard-root"]')
    .filter({ hasText: 'Open GitOps tab' })
    .last();
  await expect(card).toContainText('Git wants v1.2.3');
  await expect(card).toContainText('in sync');
  await card.screenshot({ path: `${ARTIFACTS}/entity-gitops-card.png` });
});

test('the team page lists the component with its environments', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/gitops');
  const row = page.getByRole('row').filter({ hasText: NAME });
  await expect(row).toContainText('v1.2.2');
  await expect(row).toContainText('latest');
  await page.screenshot({ path: `${ARTIFACTS}/team-page.png`, fullPage: true });
});

test('an invalid name gets a clear message and creates nothing', async ({
  page,
}) => {
  await signIn(page);
  await openTemplate(page);
  await page.getByLabel('Name', { exact: false }).first().fill('Bad_Name');
  await page.getByLabel('Image repository').fill(IMAGE);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(
    page.getByText(/must match pattern|Lowercase letters/i).first(),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create' })).toHaveCount(0);
  const res = await fetch('http://localhost:7007/api/gitops/health');
  expect(res.ok).toBe(true);
});

test('no response the browser received contains the Argo CD token', async () => {
  expect(bodies.length).toBeGreaterThan(10);
  expect(bodies.filter(b => b.includes(TOKEN))).toEqual([]);
});
