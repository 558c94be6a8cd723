// DICOM Part 10 files → a static DICOMweb tree that the viewer reads like a server. Layout under the output folder:
//   studies/index.json                                 QIDO-RS study results (DICOM JSON model)
//   studies/<S>/series/index.json                      QIDO-RS series results of that study
//   studies/<S>/series/<R>/metadata                    WADO-RS metadata, one object per instance, no pixel data
//   studies/<S>/series/<R>/instances/<I>/frames/<n>    one frame, stored as a WADO-RS multipart/related body
// The viewer's static client and scripts/serve.mjs depend on exactly these names.
import fs from 'node:fs';
import path from 'node:path';
import type { DicomJson } from '../../src/dicom/json.ts';
import { NotDicomError, parsePart10, type ParsedInstance } from '../../src/dicom/part10.ts';
import { numberOf, sortInstances, seriesResult, studyResult, text } from '../../src/local/qidoResults.ts';
import { isUid } from '../../src/model/uid.ts';
import { instanceKind } from '../../src/model/objectKinds.ts';
import { instanceFromMetadata } from '../../src/model/parse.ts';
import { STATIC_INSTANCE_FILE } from '../../src/dicomweb/client.ts';

// The parser lives in src/dicom and the QIDO-RS results in src/local (the browser reads local files with them);
// re-exported for the scripts and tests.
export type { DicomJson } from '../../src/dicom/json.ts';
export * from '../../src/dicom/part10.ts';
export * from '../../src/local/qidoResults.ts';

// ---- multipart --------------------------------------------------------------------------------------------

/** Fixed, so that identical frames give identical files (the body names its own boundary). */
export const FRAME_BOUNDARY = 'lumen-static-frame';

/** One frame as the body of a WADO-RS frame response: a multipart/related body with a single part. */
export function encodeFrameMultipart(frame: Uint8Array, transferSyntaxUID: string, boundary = FRAME_BOUNDARY): Uint8Array {
  const head = Buffer.from(`--${boundary}\r\nContent-Type: application/octet-stream; transfer-syntax=${transferSyntaxUID}\r\n\r\n`, 'latin1');
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1');
  const out = new Uint8Array(head.length + frame.length + tail.length);
  out.set(head, 0);
  out.set(frame, head.length);
  out.set(tail, head.length + frame.length);
  return out;
}

// ---- the tree ---------------------------------------------------------------------------------------------

export interface SkippedFile {
  path: string;
  reason: string;
  /** not-dicom: not Part 10 at all; unreadable: DICOM that could not be used; duplicate: SOP UID seen before. */
  kind: 'not-dicom' | 'unreadable' | 'duplicate' | 'missing';
}

export interface ImportWarning {
  path: string;
  message: string;
}

export interface ImportSummary {
  /** Files looked at (after walking folders). */
  files: number;
  /** Studies and series that received instances in this run. */
  studies: number;
  series: number;
  /** Instances and frames written in this run. */
  instances: number;
  frames: number;
  skipped: SkippedFile[];
  /** Instances imported with a problem (truncated pixel data, fragments that don't add up to the frames…). */
  warnings: ImportWarning[];
}

export interface ImportOptions {
  /** Progress lines. */
  log?: (line: string) => void;
}

/** Files under the inputs (folders walked recursively, in name order), leaving out anything under `exclude`. */
export function listInputFiles(inputs: string[], exclude?: string): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const excluded = exclude ? path.resolve(exclude) : null;
  const walk = (p: string) => {
    let real: string;
    try {
      real = fs.realpathSync(p);
    } catch {
      missing.push(p);
      return;
    }
    // Importing "." into ./dicom-web-static must not read the tree back in; links must not loop.
    if (excluded && (real === excluded || real.startsWith(excluded + path.sep))) return;
    if (seen.has(real)) return;
    seen.add(real);
    const st = fs.statSync(real);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
    } else if (st.isFile()) files.push(p);
  };
  for (const input of inputs) walk(input);
  return { files, missing };
}

function readJsonArray(file: string): DicomJson[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error(`${file} is not a JSON array`);
  return parsed as DicomJson[];
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value));
}

/**
 * Imports DICOM Part 10 files (and folders, recursively) into the static tree at `outDir`, merging with what
 * is already there: instances with a SOP Instance UID already in the tree replace it. Within one run the first
 * file with a given SOP Instance UID wins. Nothing a file contains is fatal: problems end up in the summary.
 */
export function importFiles(inputs: string[], outDir: string, options: ImportOptions = {}): ImportSummary {
  const log = options.log ?? (() => {});
  const out = path.resolve(outDir);
  const { files, missing } = listInputFiles(inputs, out);
  const summary: ImportSummary = { files: files.length, studies: 0, series: 0, instances: 0, frames: 0, skipped: [], warnings: [] };
  for (const m of missing) summary.skipped.push({ path: m, reason: 'no such file or folder', kind: 'missing' });

  // study → series → SOP → metadata of what this run imported
  const tree = new Map<string, Map<string, Map<string, DicomJson>>>();
  const firstPath = new Map<string, string>();
  let lastReport = Date.now();
  files.forEach((file, i) => {
    if (Date.now() - lastReport > 2000) {
      log(`  ${i}/${files.length} files read`);
      lastReport = Date.now();
    }
    let inst: ParsedInstance;
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
      inst = parsePart10(bytes);
    } catch (e) {
      const kind = e instanceof NotDicomError ? 'not-dicom' : 'unreadable';
      summary.skipped.push({ path: file, reason: e instanceof Error ? e.message : String(e), kind });
      return;
    }
    const { studyInstanceUID: s, seriesInstanceUID: r, sopInstanceUID: sop } = inst;
    const earlier = firstPath.get(sop);
    if (earlier !== undefined) {
      summary.skipped.push({ path: file, reason: `duplicate SOP Instance UID ${sop} (kept ${earlier})`, kind: 'duplicate' });
      return;
    }
    // UIDs become path segments: the viewer's own check (the one its links pass), so nothing can escape the folder
    // or confuse a URL, and everything imported can be linked to.
    if (![s, r, sop].every(isUid)) {
      const bad = [s, r, sop].filter((u) => !isUid(u)).map((u) => JSON.stringify(u));
      summary.skipped.push({ path: file, reason: `not a valid DICOM UID, so it cannot name a folder: ${bad.join(', ')}`, kind: 'unreadable' });
      return;
    }
    firstPath.set(sop, file);
    const framesDir = path.join(out, 'studies', s, 'series', r, 'instances', sop, 'frames');
    // A re-import may have fewer frames than what is there.
    fs.rmSync(framesDir, { recursive: true, force: true });
    if (inst.frames.length) fs.mkdirSync(framesDir, { recursive: true });
    inst.frames.forEach((frame, n) => {
      fs.writeFileSync(path.join(framesDir, String(n + 1)), encodeFrameMultipart(frame, inst.frameTransferSyntaxUID));
    });
    // Objects with a viewer of their own (reports, documents, waveforms, SEG, video) are read whole, as the file.
    const instanceFile = path.join(out, 'studies', s, 'series', r, 'instances', sop, STATIC_INSTANCE_FILE);
    if (instanceKind(instanceFromMetadata(inst.metadata)) !== 'image') {
      fs.mkdirSync(path.dirname(instanceFile), { recursive: true });
      fs.writeFileSync(instanceFile, bytes);
    } else fs.rmSync(instanceFile, { force: true });
    for (const message of inst.warnings) summary.warnings.push({ path: file, message });
    summary.instances++;
    summary.frames += inst.frames.length;
    let study = tree.get(s);
    if (!study) tree.set(s, (study = new Map()));
    let series = study.get(r);
    if (!series) study.set(r, (series = new Map()));
    series.set(sop, inst.metadata);
  });

  // Merge with the tree on disk and rewrite the collections this run touched.
  const studiesIndex = path.join(out, 'studies', 'index.json');
  const studies = new Map<string, DicomJson>();
  for (const st of readJsonArray(studiesIndex)) studies.set(text(st, '0020000D'), st);
  for (const [s, seriesMap] of tree) {
    const seriesIndex = path.join(out, 'studies', s, 'series', 'index.json');
    const seriesResults = new Map<string, DicomJson>();
    for (const se of readJsonArray(seriesIndex)) seriesResults.set(text(se, '0020000E'), se);
    let representative: DicomJson | undefined;
    for (const [r, instances] of seriesMap) {
      const metadataFile = path.join(out, 'studies', s, 'series', r, 'metadata');
      const merged = new Map<string, DicomJson>();
      for (const md of readJsonArray(metadataFile)) merged.set(text(md, '00080018'), md);
      for (const [sop, md] of instances) merged.set(sop, md);
      const sorted = sortInstances([...merged.values()]);
      writeJson(metadataFile, sorted);
      seriesResults.set(r, seriesResult(sorted));
      representative ??= sorted[0];
    }
    const seriesList = [...seriesResults.values()].sort(
      (a, b) => numberOf(a, '00200011') - numberOf(b, '00200011') || text(a, '0020000E').localeCompare(text(b, '0020000E')),
    );
    writeJson(seriesIndex, seriesList);
    studies.set(s, studyResult(representative!, seriesList));
    summary.series += seriesMap.size;
  }
  summary.studies = tree.size;
  if (tree.size > 0 || !fs.existsSync(studiesIndex)) {
    // Newest first, like a worklist; UID order breaks ties so reruns write identical files.
    const list = [...studies.values()].sort(
      (a, b) =>
        (text(b, '00080020') + text(b, '00080030')).localeCompare(text(a, '00080020') + text(a, '00080030')) ||
        text(a, '0020000D').localeCompare(text(b, '0020000D')),
    );
    writeJson(studiesIndex, list);
  }
  return summary;
}
