// Import `test` and `expect` from here in every spec:
//
//   import { test, expect } from './harness/fixtures';
//   test('…', async ({ page, manifest, orthancUrl, errors }) => {
//     await page.goto('/');                       // baseURL = the viewer served by scripts/serve.mjs
//     const ct = manifest.ct!;                    // prepared data, see e2e/harness/manifest.ts
//     …
//     errors.expectNone();                        // no console errors / uncaught exceptions
//   });
import { test as base, expect, type Page } from '@playwright/test';
import { patchConfig } from './config';
import type { Manifest, ManifestEntry } from './manifest';
import { loadManifest, readRunInfo, type RunInfo } from './run-info';

export interface ErrorCollector {
  /** console.error messages (text + source location). */
  readonly consoleErrors: string[];
  /** Uncaught exceptions and unhandled rejections in the page. */
  readonly pageErrors: Error[];
  /** Both, as strings, minus ignored ones. */
  readonly all: string[];
  /** Ignore messages matching this (e.g. an expected 404 "Failed to load resource"). */
  ignore(pattern: RegExp | string): void;
  clear(): void;
  /** Fails the test listing every collected error. */
  expectNone(): void;
}

/** Starts recording console errors and uncaught page exceptions of `page`. */
export function collectErrors(page: Page): ErrorCollector {
  const consoleErrors: string[] = [];
  const pageErrors: Error[] = [];
  const ignored: (RegExp | string)[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const loc = msg.location();
    consoleErrors.push(loc.url ? `${msg.text()} (${loc.url}:${loc.lineNumber})` : msg.text());
  });
  page.on('pageerror', (err) => pageErrors.push(err));
  const isIgnored = (s: string) => ignored.some((p) => (typeof p === 'string' ? s.includes(p) : p.test(s)));
  const collector: ErrorCollector = {
    consoleErrors,
    pageErrors,
    get all() {
      const list = [
        ...pageErrors.map((e) => `pageerror: ${e.name}: ${e.message}${e.stack ? `\n${e.stack}` : ''}`),
        ...consoleErrors.map((m) => `console.error: ${m}`),
      ];
      return list.filter((s) => !isIgnored(s));
    },
    ignore(pattern) {
      ignored.push(pattern);
    },
    clear() {
      consoleErrors.length = 0;
      pageErrors.length = 0;
    },
    expectNone() {
      expect(collector.all, 'console errors / uncaught exceptions in the page').toEqual([]);
    },
  };
  return collector;
}

/** The manifest entry with this label; throws listing the labels when there is none. */
export function entry(manifest: Manifest, label: string): ManifestEntry {
  const e = manifest.entries.find((x) => x.label === label);
  if (!e) throw new Error(`no manifest entry "${label}"; have: ${manifest.entries.map((x) => x.label).join(', ')}`);
  return e;
}

interface TestFixtures {
  /** Errors of the default `page`, recorded from the start of the test. */
  errors: ErrorCollector;
}

export interface TestOptions {
  /**
   * config.json's `stackRendering` for every page of the test (a Playwright project option); undefined leaves the
   * served config as it is (`auto`, which picks the CPU under the tests' software WebGL).
   */
  stackRendering: 'auto' | 'cpu' | 'gpu' | undefined;
}

interface WorkerFixtures {
  /** .cache/e2e-data/manifest.json */
  manifest: Manifest;
  /** Orthanc's HTTP root (REST API, e.g. `${orthancUrl}/statistics`); DICOMweb is `${orthancUrl}/dicom-web`. */
  orthancUrl: string;
  /** Everything global setup recorded (URLs, timings). */
  run: RunInfo;
}

export const test = base.extend<TestFixtures & TestOptions, WorkerFixtures>({
  stackRendering: [undefined, { option: true }],
  context: async ({ context, stackRendering }, use) => {
    if (stackRendering) {
      // Every config.json the app reads, from whichever server: the setting goes in, the rest is left alone.
      await patchConfig(context, (config) => ({ ...config, stackRendering }));
    }
    await use(context);
  },
  run: [async ({}, use) => use(readRunInfo()), { scope: 'worker' }],
  manifest: [async ({}, use) => use(loadManifest()), { scope: 'worker' }],
  orthancUrl: [async ({ run }, use) => use(run.orthancUrl), { scope: 'worker' }],
  // The viewer's origin as chosen by global setup, whatever playwright.config.ts computed.
  baseURL: async ({ run }, use) => use(run.baseURL),
  errors: async ({ page }, use) => use(collectErrors(page)),
});

export { expect };
export type { Manifest, ManifestEntry, RunInfo };
export type { FrameProbe } from './run-info';
export type { CtInfo, PixelProbe, StudyInfo, UploadFile } from './manifest';
export { loadManifest, readRunInfo } from './run-info';
export { startOrthanc, uploadFiles, type OrthancHandle } from './orthanc';
export { startServe, startPacsDownServer, startStack, testAppConfig, type ServeHandle, type Stack } from './serve';
export { closedPort, freePort } from './procs';
