// Playwright global teardown: stops what global-setup.ts started (by process group) and removes its temp dirs.
import fs from 'node:fs';
import type { FullConfig } from '@playwright/test';
import { RUN_FILE } from './paths';
import { killGroup, stopWatchdog } from './procs';
import type { RunInfo } from './run-info';

export default async function globalTeardown(_config: FullConfig): Promise<void> {
  if (!fs.existsSync(RUN_FILE)) return;
  const info = JSON.parse(fs.readFileSync(RUN_FILE, 'utf8')) as RunInfo;
  // serve.mjs first, then Orthanc.
  for (const p of [...info.processes].reverse()) {
    await killGroup(p.pid);
    stopWatchdog(p.watchdogPid);
  }
  for (const d of info.tempDirs) fs.rmSync(d, { recursive: true, force: true });
  fs.rmSync(RUN_FILE, { force: true });
  console.log('[e2e teardown] stopped Orthanc and serve.mjs');
}
