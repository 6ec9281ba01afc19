/**
 * End-to-end tests in Debian's Chromium against the real production server. Browsers are never
 * downloaded: set BPFLAB_CHROMIUM to use another Chromium binary. Each worker starts its own
 * server (e2e/fixtures/server.ts), so build first: `make build` (or `make test-e2e`).
 */
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

const CHROMIUM_PATHS = ['/usr/bin/chromium', '/snap/bin/chromium', '/usr/bin/chromium-browser'];

function chromium(): string {
  const configured = process.env.BPFLAB_CHROMIUM;
  if (configured) return configured;
  const found = CHROMIUM_PATHS.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATHS.join(', ')}: install it (make setup) or set BPFLAB_CHROMIUM`,
    );
  }
  return found;
}

export default defineConfig({
  testDir: 'e2e',
  // Two cores, and every worker runs a server with its own sandboxes.
  workers: 2,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: chromium(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
