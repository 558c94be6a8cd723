// A real Orthanc (Debian package) with the DICOMweb plugin, on loopback, with throw-away storage.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, spawnGroup, waitForHttp, type GroupProcess } from './procs';
import type { UploadFile } from './manifest';

export const ORTHANC_BIN = process.env.E2E_ORTHANC_BIN || '/usr/sbin/Orthanc';
export const DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

export interface OrthancOptions {
  /** HTTP port; a free one when omitted. */
  port?: number;
  /**
   * host:port that Orthanc writes into absolute URLs (RetrieveURL, BulkDataURI). Set it to the viewer's
   * origin so those URLs are same-origin through the serve.mjs proxy (which rewrites the Host header).
   */
  publicHost?: string;
  /** Storage directory; a fresh one under os.tmpdir() when omitted (deleted by stop()). */
  storageDir?: string;
  name?: string;
}

export interface OrthancHandle {
  /** http://127.0.0.1:PORT */
  url: string;
  /** http://127.0.0.1:PORT/dicom-web */
  dicomWebUrl: string;
  port: number;
  dicomPort: number;
  storageDir: string;
  proc: GroupProcess;
  /** Stops Orthanc; deletes the storage unless keepStorage (then restart() brings the same data back). */
  stop(opts?: { keepStorage?: boolean }): Promise<void>;
  /** Starts Orthanc again on the same ports with the same storage (after stop({ keepStorage: true })). */
  restart(): Promise<void>;
}

export async function startOrthanc(opts: OrthancOptions = {}): Promise<OrthancHandle> {
  if (!fs.existsSync(ORTHANC_BIN)) {
    throw new Error(`${ORTHANC_BIN} not found: apt-get install -y orthanc orthanc-dicomweb (see .ci/run)`);
  }
  if (!fs.existsSync(DICOMWEB_PLUGIN)) throw new Error(`${DICOMWEB_PLUGIN} not found: apt-get install -y orthanc-dicomweb`);
  const port = opts.port ?? (await freePort());
  const dicomPort = await freePort();
  const ownsStorage = !opts.storageDir;
  const storageDir = opts.storageDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lumen-e2e-orthanc-'));
  const dbDir = path.join(storageDir, 'db');
  fs.mkdirSync(dbDir, { recursive: true });
  const config = {
    Name: opts.name ?? 'lumen-e2e',
    HttpPort: port,
    HttpBindAddress: '127.0.0.1',
    DicomPort: dicomPort,
    DicomAet: 'LUMENE2E',
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    StorageDirectory: dbDir,
    IndexDirectory: dbDir,
    StorageCompression: false,
    HttpCompressionEnabled: false,
    ConcurrentJobs: 2,
    // QIDO answers are written in this encoding; the default (Latin1) drops every other script from names in
    // the worklist while WADO-RS metadata keeps them. README's deployment advice says the same.
    DefaultEncoding: 'Utf8',
    // The GDCM plugin stays out: its transcoder segfaulted Orthanc 1.10.1 (see notes/cornerstone-vite.md).
    Plugins: [DICOMWEB_PLUGIN],
    DicomWeb: {
      Enable: true,
      Root: '/dicom-web/',
      EnableWado: true,
      StudiesMetadata: 'Full',
      SeriesMetadata: 'Full',
      ...(opts.publicHost ? { Host: opts.publicHost } : {}),
    },
  };
  const configFile = path.join(storageDir, 'orthanc.json');
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const logFile = path.join(storageDir, 'orthanc.log');
  const url = `http://127.0.0.1:${port}`;

  let proc: GroupProcess | undefined;
  const launch = async () => {
    proc = spawnGroup({
      name: 'Orthanc',
      command: ORTHANC_BIN,
      args: [configFile],
      logFile,
      cleanupDirs: ownsStorage ? [storageDir] : [],
    });
    await waitForHttp(`${url}/system`, proc, 30000);
  };
  try {
    await launch();
  } catch (e) {
    await proc?.stop();
    if (ownsStorage) fs.rmSync(storageDir, { recursive: true, force: true });
    throw e;
  }

  const handle: OrthancHandle = {
    url,
    dicomWebUrl: `${url}/dicom-web`,
    port,
    dicomPort,
    storageDir,
    get proc() {
      return proc!;
    },
    async stop({ keepStorage = false } = {}) {
      await proc?.stop();
      if (!keepStorage && ownsStorage) fs.rmSync(storageDir, { recursive: true, force: true });
    },
    async restart() {
      await launch();
    },
  };
  return handle;
}

export interface UploadResult {
  stored: number;
  rejected: string[];
  ms: number;
}

/**
 * POSTs files to Orthanc's /instances, `concurrency` at a time. Throws listing every file whose outcome
 * differs from `expectRejected` (a rejection, or an "AlreadyStored": two prepared files share a SOP UID).
 */
export async function uploadFiles(orthancUrl: string, files: UploadFile[], concurrency = 4): Promise<UploadResult> {
  const t0 = Date.now();
  const problems: string[] = [];
  const rejected: string[] = [];
  let stored = 0;
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const f = files[next++]!;
      let outcome: string;
      try {
        const body = fs.readFileSync(f.path);
        const res = await fetch(`${orthancUrl}/instances`, {
          method: 'POST',
          body,
          headers: { 'Content-Type': 'application/dicom' },
        });
        const text = await res.text();
        if (!res.ok) outcome = `HTTP ${res.status}: ${text.slice(0, 300)}`;
        else {
          const status = (JSON.parse(text) as { Status?: string }).Status;
          outcome = status === 'Success' ? 'ok' : `Orthanc status ${status}`;
        }
      } catch (e) {
        outcome = `request failed: ${(e as Error).message}`;
      }
      if (outcome === 'ok') {
        stored++;
        if (f.expectRejected) problems.push(`${f.path} (${f.label}): expected Orthanc to reject it, but it was stored`);
      } else {
        rejected.push(f.path);
        if (!f.expectRejected) problems.push(`${f.path} (${f.label}): ${outcome}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  if (problems.length) {
    throw new Error(`Loading test data into Orthanc at ${orthancUrl} failed:\n  ${problems.join('\n  ')}`);
  }
  return { stored, rejected, ms: Date.now() - t0 };
}
