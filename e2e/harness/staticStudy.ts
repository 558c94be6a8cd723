// Writes a study as a static DICOMweb tree (the layout `npm run import` produces) from metadata and frame bytes
// built in a test, for cases Orthanc would refuse to store or serve as they are (corrupt codestreams, fuzzed
// frames, syntaxes without a decoder).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeFrameMultipart } from '../../scripts/import/staticTree';
import type { DicomJson } from '../../src/dicom/json';
import { startServe } from './serve';

export interface StaticInstance {
  metadata: DicomJson;
  /** One entry per frame, sent with this transfer syntax in the multipart Content-Type. */
  frames: Uint8Array[];
  transferSyntaxUID: string;
}

export interface StaticSeries {
  uid: string;
  description: string;
  modality: string;
  number: number;
  instances: StaticInstance[];
}

/** Writes the study under `dir` (the data source's root) and returns its study UID. */
export function writeStaticStudy(dir: string, study: { uid: string; patientName: string; series: StaticSeries[] }): string {
  const studyDir = path.join(dir, 'studies', study.uid);
  const seriesIndex: DicomJson[] = [];
  let instances = 0;
  for (const series of study.series) {
    const metadata: DicomJson[] = [];
    series.instances.forEach((inst, i) => {
      const sop = String(inst.metadata['00080018']?.Value?.[0] ?? `${series.uid}.${i + 1}`);
      const md: DicomJson = {
        ...inst.metadata,
        '0020000D': { vr: 'UI', Value: [study.uid] },
        '0020000E': { vr: 'UI', Value: [series.uid] },
        '00080018': { vr: 'UI', Value: [sop] },
        '00080060': { vr: 'CS', Value: [series.modality] },
        '0008103E': { vr: 'LO', Value: [series.description] },
        '00200011': { vr: 'IS', Value: [series.number] },
        '00100010': { vr: 'PN', Value: [{ Alphabetic: study.patientName }] },
      };
      metadata.push(md);
      inst.frames.forEach((frame, f) => {
        const file = path.join(studyDir, 'series', series.uid, 'instances', sop, 'frames', String(f + 1));
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, encodeFrameMultipart(frame, inst.transferSyntaxUID));
      });
    });
    instances += metadata.length;
    fs.mkdirSync(path.join(studyDir, 'series', series.uid), { recursive: true });
    fs.writeFileSync(path.join(studyDir, 'series', series.uid, 'metadata'), JSON.stringify(metadata));
    seriesIndex.push({
      '0020000E': { vr: 'UI', Value: [series.uid] },
      '00080060': { vr: 'CS', Value: [series.modality] },
      '0008103E': { vr: 'LO', Value: [series.description] },
      '00200011': { vr: 'IS', Value: [series.number] },
      '00201209': { vr: 'IS', Value: [metadata.length] },
    });
  }
  fs.writeFileSync(path.join(studyDir, 'series', 'index.json'), JSON.stringify(seriesIndex));
  const indexFile = path.join(dir, 'studies', 'index.json');
  const existing = fs.existsSync(indexFile) ? (JSON.parse(fs.readFileSync(indexFile, 'utf8')) as DicomJson[]) : [];
  existing.push({
    '0020000D': { vr: 'UI', Value: [study.uid] },
    '00100010': { vr: 'PN', Value: [{ Alphabetic: study.patientName }] },
    '00201206': { vr: 'IS', Value: [study.series.length] },
    '00201208': { vr: 'IS', Value: [instances] },
  });
  fs.writeFileSync(indexFile, JSON.stringify(existing));
  return study.uid;
}

export interface StaticTreeServer {
  /** http://127.0.0.1:PORT of the viewer whose only data source is the tree. */
  url: string;
  /** Stops the server and deletes the tree. */
  stop(): Promise<void>;
}

/**
 * A temporary folder, filled by `fill` with a static DICOMweb tree (importFiles or writeStaticStudy), served by the
 * production build as its only data source `name`; `config` adds top-level config.json settings.
 */
export async function serveStaticTree(name: string, fill: (dir: string) => void, config: Record<string, unknown> = {}): Promise<StaticTreeServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lumen-${name}-`));
  try {
    fill(dir);
    const root = `/${name}/dicom-web`;
    const server = await startServe({
      mounts: { [root]: dir },
      config: { ...config, dataSources: [{ name, kind: 'static', qidoRoot: root, wadoRoot: root }] },
    });
    return {
      url: server.url,
      async stop() {
        await server.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
