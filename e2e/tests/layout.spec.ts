import { expect, Locator, Page, test } from '@playwright/test';
import {
  fakeApplication,
  FakeArgoCd,
  startFakeArgoCd,
} from '@internal/fake-argocd';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

// The status views at the widths and themes a team lead reads them in: no
// status word, tag or revision may break mid-word. Screenshots of each go to
// e2e/artifacts/ for a person to look at.
test.describe.configure({ mode: 'serial' });
// The development backend restarts when files change; waits are long.
test.setTimeout(420_000);

const TOKEN = process.env.FAKE_ARGOCD_TOKEN!;
const ARTIFACTS = 'e2e/artifacts';
const WIDTHS = [1024, 1280, 1920] as const;
const THEMES = ['light', 'dark'] as const;
const STATUS_WORDS = [
  'Synced',
  'OutOfSync',
  'Unknown',
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
];
const DIGEST = `sha256:${'4f2a9c1d5e6f7a8b'.repeat(4)}`;
const LONG_TAG = 'v2.14.0-rc.3-build.20261122.1f2e3d4c';
const REASON = 'Deployment "inference-api" exceeded its progress deadline';
// Argo CD's health.lastTransitionTime: two days and an hour before the run.
const DEGRADED_SINCE = new Date(
  Date.now() - 2 * 86_400_000 - 3_600_000,
).toISOString();

let argo: FakeArgoCd;

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

async function signIn(page: Page, theme: string) {
  // Backstage keeps the chosen theme in localStorage under `theme`.
  await page.addInitScript(t => window.localStorage.setItem('theme', t), theme);
  // The development backend restarts when its files change: try again.
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

/**
 * The texts in the table that wrap onto more than one line: status words,
 * tags and revisions (`code`) as a whole, and any other word split in two.
 */
async function brokenTexts(page: Page): Promise<string[]> {
  return page.evaluate(statusWords => {
    const broken: string[] = [];
    // Lines the text occupies: its rects' distinct tops (an ellipsis makes
    // a second rect on the same line).
    const lines = (node: Node, start: number, end: number) => {
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, end);
      const tops = Array.from(range.getClientRects())
        .filter(r => r.width > 0)
        .map(r => Math.round(r.top));
      return new Set(tops).size;
    };
    for (const table of Array.from(document.querySelectorAll('table'))) {
      const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        if (!text.trim()) continue;
        const whole =
          statusWords.includes(text.trim()) ||
          node.parentElement?.closest('code') !== null;
        if (whole && lines(node, 0, text.length) > 1) {
          broken.push(text.trim());
          continue;
        }
        // A word ends at a space or just after a slash: `Kind/name` may
        // wrap after its slash, never inside `Kind` or `name`.
        for (const match of text.matchAll(/[^\s/]+\/?|\//g)) {
          const start = match.index ?? 0;
          if (lines(node, start, start + match[0].length) > 1) {
            broken.push(match[0]);
          }
        }
      }
    }
    return broken;
  }, STATUS_WORDS);
}

/** How many lines an element's text takes (icons aside). */
async function lineCount(locator: Locator): Promise<number> {
  return locator.evaluate(el => {
    const tops = new Set<number>();
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of Array.from(range.getClientRects())) {
        if (r.width > 0) tops.add(Math.round(r.top));
      }
    }
    return tops.size;
  });
}

test.beforeAll(async () => {
  await waitForBackend();
  // The demo components, in the suite's GitOps repository, as the template
  // would have written them.
  const root = path.resolve(__dirname, '../..');
  execFileSync(
    process.execPath,
    [
      '--require',
      '@backstage/cli/config/nodeTransform.cjs',
      'scripts/dev/seed-gitops-repo.ts',
      process.env.E2E_GITOPS_REPO!,
    ],
    { cwd: root, stdio: 'pipe' },
  );
  argo = await startFakeArgoCd({
    token: TOKEN,
    port: 7010,
    applications: [
      fakeApplication({
        service: 'inference-api',
        environment: 'staging',
        images: ['registry.example.com/ml/inference-api:v1.5.0-rc.1'],
      }),
      // Degraded for two days, in Argo CD's words and with its times.
      fakeApplication({
        service: 'inference-api',
        environment: 'production',
        images: ['registry.example.com/ml/inference-api:v1.4.1'],
        sync: 'OutOfSync',
        health: 'Degraded',
        healthSince: DEGRADED_SINCE,
        resources: [
          {
            group: 'apps',
            version: 'v1',
            kind: 'Deployment',
            namespace: 'inference-api-production',
            name: 'inference-api',
            status: 'OutOfSync',
            health: { status: 'Degraded', message: REASON },
          },
        ],
        operation: {
          phase: 'Failed',
          message:
            'one or more synchronization tasks completed unsuccessfully (retried 5 times).',
          finishedAt: new Date(
            Date.parse(DEGRADED_SINCE) - 5 * 60_000,
          ).toISOString(),
        },
      }),
      fakeApplication({
        service: 'embeddings-worker',
        environment: 'staging',
        images: [`registry.example.com/ml/embeddings-worker:${LONG_TAG}`],
        health: 'Progressing',
      }),
      fakeApplication({
        service: 'embeddings-worker',
        environment: 'production',
        images: [`registry.example.com/ml/embeddings-worker@${DIGEST}`],
        sync: 'Unknown',
        health: 'Suspended',
      }),
      fakeApplication({
        service: 'checkout-web',
        environment: 'staging',
        images: ['registry.example.com/payments/checkout-web:v2.8.0'],
      }),
      fakeApplication({
        service: 'checkout-web',
        environment: 'production',
        images: ['registry.example.com/payments/checkout-web:v2.7.1'],
        health: 'Missing',
      }),
    ],
  });
});

test.afterAll(async () => {
  await argo?.close();
});

for (const theme of THEMES) {
  test(`the GitOps tab of inference-api reads on one line per word (${theme})`, async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, theme);
    const production = page.getByRole('row').filter({ hasText: 'production' });
    // Until the catalog has the entity and the poller the live state.
    await expect(async () => {
      await page.goto('/catalog/default/component/inference-api/gitops');
      await expect(production).toContainText('Degraded', { timeout: 5000 });
    }).toPass({ timeout: 180_000 });
    await expect(production).toContainText('OutOfSync');
    await expect(production).toContainText('v1.4.1');
    // Argo CD's reason in full, since when from Argo CD (not the poller's
    // first look, minutes ago), and stuck past the 10-minute threshold.
    await expect(production).toContainText(
      `Deployment/inference-api: ${REASON}`,
    );
    const since = production.getByTitle(DEGRADED_SINCE, { exact: true });
    await expect(since).toHaveText('since 2 days ago');
    await expect(production.getByText('stuck for 2 days')).toBeVisible();

    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await expect(production).toContainText('Degraded');
      expect(await brokenTexts(page), `tab at ${width} px`).toEqual([]);
      expect(await lineCount(since), `"since" at ${width} px`).toBe(1);
      expect(
        await lineCount(production.getByText('stuck for 2 days')),
        `"stuck" at ${width} px`,
      ).toBe(1);
      await page.screenshot({
        path: `${ARTIFACTS}/layout-tab-${width}-${theme}.png`,
        fullPage: true,
      });
    }

    // The full value on hover, and a copy button, for tags and revisions.
    const live = production.locator('code', { hasText: 'v1.4.1' });
    await expect(live).toHaveAttribute(
      'title',
      'registry.example.com/ml/inference-api:v1.4.1',
    );
    await expect(
      production.getByRole('button', { name: 'Copy revision' }),
    ).toBeVisible();
  });

  test(`the team page reads on one line per word, the profile's environments as columns (${theme})`, async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, theme);
    await page.goto('/gitops');
    await expect(
      page.getByRole('columnheader', { name: /staging/i }),
    ).toBeVisible();
    await expect(
      page.getByRole('columnheader', { name: /production/i }),
    ).toBeVisible();
    const worker = page
      .getByRole('row')
      .filter({ hasText: 'embeddings-worker' });
    await expect(async () => {
      await page.reload();
      await expect(worker).toContainText('Suspended', { timeout: 3000 });
    }).toPass({ timeout: 90_000 });
    // The long tag and the digest are cut, and whole on hover.
    await expect(worker.locator(`code[title$="${LONG_TAG}"]`)).toBeVisible();
    await expect(worker.locator(`code[title$="${DIGEST}"]`)).toBeVisible();
    // Argo CD's reason under the cell, readable without hovering, and stuck.
    const inference = page
      .getByRole('row')
      .filter({ hasText: 'inference-api' });
    await expect(inference.getByTestId('short-reason')).toHaveText(REASON);
    await expect(inference.getByText('stuck for 2 days')).toBeVisible();
    // Longest problem first: inference-api's two days lead.
    await page.getByLabel('Sort').first().click();
    await page.getByRole('option', { name: 'Longest problem first' }).click();
    await expect(
      page.getByRole('row').nth(1).getByRole('link').first(),
    ).toHaveText('inference-api');

    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await expect(worker).toContainText('Suspended');
      expect(await brokenTexts(page), `team page at ${width} px`).toEqual([]);
      expect(
        await lineCount(inference.getByText('stuck for 2 days')),
        `"stuck" at ${width} px`,
      ).toBe(1);
      await page.screenshot({
        path: `${ARTIFACTS}/layout-team-${width}-${theme}.png`,
        fullPage: true,
      });
    }
  });
}
