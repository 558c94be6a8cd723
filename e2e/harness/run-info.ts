// What global setup tells the tests (and global teardown): .cache/e2e-run.json plus E2E_* environment variables.
import fs from 'node:fs';
import { MANIFEST_PATH, RUN_FILE } from './paths';
import type { Manifest } from './manifest';

export interface RunInfo {
  /** Viewer origin served by scripts/serve.mjs, e.g. http://127.0.0.1:41234 (no trailing slash). */
  baseURL: string;
  /** Orthanc's own HTTP root (REST API), e.g. http://127.0.0.1:40111 */
  orthancUrl: string;
  /** Orthanc's DICOMweb root, direct (not through the proxy). */
  orthancDicomWebUrl: string;
  manifestPath: string;
  startedAt: string;
  /** Process groups and temp dirs global teardown removes. */
  processes: { name: string; pid: number; marker: string; watchdogPid: number }[];
  tempDirs: string[];
  timings: Record<string, number>;
  /**
   * How Orthanc answers GET …/frames/1 of each manifest entry's first instance (through the proxy), probed once
   * by global setup: `star` with `transfer-syntax=*` (what Cornerstone asks by default), `plain` without a
   * transfer-syntax parameter (Orthanc then sends explicit VR little endian when it can).
   */
  frameProbes: Record<string, { star: FrameProbe; plain: FrameProbe }>;
}

export interface FrameProbe {
  status: number;
  /** The transfer-syntax parameter of the response's Content-Type, when 2xx. */
  transferSyntax: string | null;
}

export function writeRunInfo(info: RunInfo): void {
  fs.writeFileSync(RUN_FILE, JSON.stringify(info, null, 2));
  process.env.E2E_BASE_URL = info.baseURL;
  process.env.E2E_ORTHANC_URL = info.orthancUrl;
  process.env.E2E_MANIFEST = info.manifestPath;
  process.env.E2E_RUN_FILE = RUN_FILE;
}

export function readRunInfo(): RunInfo {
  const file = process.env.E2E_RUN_FILE || RUN_FILE;
  if (!fs.existsSync(file)) {
    throw new Error(`${file} not found: the e2e global setup (e2e/harness/global-setup.ts) has not run`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as RunInfo;
}

let cached: Manifest | undefined;

export function loadManifest(): Manifest {
  if (!cached) {
    const file = process.env.E2E_MANIFEST || MANIFEST_PATH;
    cached = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  }
  return cached;
}
