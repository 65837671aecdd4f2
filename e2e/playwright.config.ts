import { defineConfig } from '@playwright/test';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Shared with the portal (webServer) and the suite's fake Argo CD.
process.env.FAKE_ARGOCD_TOKEN ??= `e2e-${crypto
  .randomBytes(16)
  .toString('hex')}`;
process.env.E2E_GITOPS_REPO ??= fs.mkdtempSync(
  path.join(os.tmpdir(), 'e2e-gitops-'),
);

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  retries: 1,
  workers: 1,
  fullyParallel: false,
  reporter: [['list'], ['json', { outputFile: './test-results/results.json' }]],
  use: {
    baseURL: 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      // Debian's Chromium: Playwright cannot download its own browsers here.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  // The frontend answers last; the suite waits for the backend itself.
  webServer: {
    command: 'bash e2e/start-portal.sh',
    cwd: path.resolve(__dirname, '..'),
    url: 'http://localhost:3000',
    timeout: 300_000,
    reuseExistingServer: !process.env.CI,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
