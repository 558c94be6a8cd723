import { defineConfig } from '@playwright/test';
import type { TestOptions } from './e2e/harness/fixtures';

// End-to-end tests against the production build (dist/), served by scripts/serve.mjs with a real Orthanc
// behind its /dicom-web proxy. e2e/harness/global-setup.ts builds (if stale), prepares the data, starts
// both servers and sets E2E_BASE_URL; specs import { test, expect } from './harness/fixtures'.
// Chromium is Debian's (/usr/bin/chromium): never `npx playwright install`.
const CI = !!process.env.CI;

export default defineConfig<TestOptions>({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  globalSetup: './e2e/harness/global-setup.ts',
  globalTeardown: './e2e/harness/global-teardown.ts',
  // Two cores: Chromium (SwiftShader WebGL + decode workers), Orthanc and the proxy share them.
  workers: Number(process.env.E2E_WORKERS || 1),
  fullyParallel: false,
  retries: CI ? 1 : 0,
  forbidOnly: CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'reports/e2e.json' }]],
  projects: [
    // Every spec as served (`stackRendering: auto`: under SwiftShader stacks draw on Cornerstone's CPU pipeline).
    { name: 'default' },
    // The stack specs again with stacks on WebGL, the path readers with a GPU get.
    {
      name: 'gpu-stacks',
      testMatch: ['**/viewer.spec.ts', '**/measurements.spec.ts', '**/sync.spec.ts'],
      // Not those whose subject does not touch the drawing (panel, prompts, saving, read-only, links).
      grepInvert: /undo, redo|refused save|leaving with unsaved|read-only viewing|without PixelSpacing|tag browser|unknown study/,
      use: { stackRendering: 'gpu' },
    },
  ],
  use: {
    browserName: 'chromium',
    // Set by global setup (workers start after it); fixtures.ts also reads .cache/e2e-run.json.
    baseURL: process.env.E2E_BASE_URL,
    headless: true,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    launchOptions: {
      executablePath: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--enable-unsafe-swiftshader',
        '--use-angle=swiftshader',
      ],
    },
  },
});
