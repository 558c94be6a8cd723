// DICOM Part 10 files → a static DICOMweb tree the viewer reads like a server (see README, "Static DICOMweb
// trees"). Layout, relative to the output folder:
//   studies/index.json                               QIDO-RS study results
//   studies/<S>/series/index.json                    QIDO-RS series results
//   studies/<S>/series/<R>/metadata                  WADO-RS metadata (no pixel data)
//   studies/<S>/series/<R>/instances/<I>/frames/<n>  one frame as a multipart/related body
import fs from 'node:fs';
import path from 'node:path';
import dcmjs from 'dcmjs';
import { encodeMultipartRelated } from '../../src/dicomweb/multipart.ts';
import type { DicomJson, DicomJsonAttribute } from '../../src/dicomweb/json.ts';
import { getNumber, getString } from '../../src/dicomweb/json.ts';
import { Tag } from '../../src/dicomweb/tags.ts';

const { DicomMessage } = dcmjs.data as unknown as {
  DicomMessage: { readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean }): { meta: DicomJson; dict: DicomJson } };
};

// dcmjs logs every oddity of vendor files to the console; the import reports what matters itself.
{
  type Logger = { setLevel?: (level: string) => void; getLogger?: (name: string) => Logger };
  const log = (dcmjs as unknown as { log?: Logger }).log;
  log?.setLevel?.('silent');
  log?.getLogger?.('validation.dcmjs')?.setLevel?.('silent');
}

export const FRAME_BOUNDARY = 'lumen-static-frame';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const UNCOMPRESSED = new Set(['1.2.840.10008.1.2', EXPLICIT_LE, '1.2.840.10008.1.2.1.99', '1.2.840.10008.1.2.2']);
const BIG_ENDIAN = '1.2.840.10008.1.2.2';
const PIXEL_TAGS = new Set(['7FE00010', '7FE00008', '7FE00009']);
const INLINE_BINARY_LIMIT = 4096;
const BINARY_VRS = new Set(['OB', 'OW', 'OF', 'OD', 'OL', 'OV', 'UN']);

export interface ImportSummary {
  studies: number;
  series: number;
  instances: number;
  frames: number;
  skipped: { path: string; reason: string }[];
  warnings: string[];
}

interface ParsedInstance {
  path: string;
  metadata: DicomJson;
  frames: Uint8Array[];
  transferSyntax: string;
}

/** dcmjs's dataset → the DICOM JSON model: binary values become InlineBinary (small) or are dropped. */
export function toDicomJson(dict: DicomJson): DicomJson {
  const out: DicomJson = {};
  for (const [tag, attr] of Object.entries(dict)) {
    if (!attr || PIXEL_TAGS.has(tag)) continue;
    const converted: DicomJsonAttribute = { vr: attr.vr };
    if (attr.vr === 'SQ') {
      converted.Value = (attr.Value ?? []).map((item) => toDicomJson(item as DicomJson));
    } else if (BINARY_VRS.has(attr.vr)) {
      const bytes = (attr.Value ?? []).reduce<number>((n, v) => n + ((v as ArrayBuffer)?.byteLength ?? 0), 0);
      if (bytes === 0 || bytes > INLINE_BINARY_LIMIT) continue;
      converted.InlineBinary = Buffer.concat((attr.Value as ArrayBuffer[]).map((v) => Buffer.from(v))).toString('base64');
    } else if (attr.Value && attr.Value.length > 0) {
      const values = attr.Value.filter((v) => v !== undefined && v !== null && v !== '');
      if (values.length > 0) converted.Value = values;
    }
    out[tag] = converted;
  }
  return out;
}

function frameByteLength(ds: DicomJson): number {
  const rows = getNumber(ds, Tag.Rows) ?? 0;
  const cols = getNumber(ds, Tag.Columns) ?? 0;
  const samples = getNumber(ds, Tag.SamplesPerPixel) ?? 1;
  const bits = getNumber(ds, Tag.BitsAllocated) ?? 16;
  if (bits === 1) return Math.ceil((rows * cols * samples) / 8);
  // Native YBR_FULL_422 shares each chroma pair between two pixels: two samples per pixel, not three.
  if (getString(ds, Tag.PhotometricInterpretation) === 'YBR_FULL_422') return rows * cols * 2 * (bits / 8);
  return rows * cols * samples * (bits / 8);
}

/** Swaps big-endian words in place (explicit VR big endian stores 16/32-bit pixels that way). */
export function swapBytes(bytes: Uint8Array, wordSize: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + wordSize <= bytes.length; i += wordSize) {
    for (let j = 0; j < wordSize; j++) out[i + j] = bytes[i + wordSize - 1 - j]!;
  }
  return out;
}

/**
 * Native YBR_FULL_422 (Y1 Y2 Cb Cr per pixel pair, 8-bit) → interleaved RGB. The tree stores it converted, as
 * a transcoding server would: Cornerstone's loader cannot display native YBR_FULL_422 frames.
 */
export function ybr422ToRgb(src: Uint8Array, rows: number, columns: number): Uint8Array {
  const out = new Uint8Array(rows * columns * 3);
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));
  for (let p = 0, o = 0; p + 3 < src.length && o < out.length; p += 4) {
    const cb = src[p + 2]! - 128;
    const cr = src[p + 3]! - 128;
    for (const y of [src[p]!, src[p + 1]!]) {
      out[o++] = clamp(y + 1.402 * cr);
      out[o++] = clamp(y - 0.344136 * cb - 0.714136 * cr);
      out[o++] = clamp(y + 1.772 * cb);
    }
  }
  return out;
}

const startsFrame = (f: Uint8Array) =>
  (f[0] === 0xff && f[1] === 0xd8) || (f[0] === 0xff && f[1] === 0x4f) || (f[0] === 0 && f[1] === 0 && f[2] === 0 && f[3] === 0x0c);

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/**
 * Groups encapsulated fragments into frames. dcmjs already groups by the Basic Offset Table when there is one;
 * otherwise one fragment per frame when the counts agree, everything for a single frame, and else a new frame
 * at each codestream start marker (JPEG SOI, JPEG 2000 SOC or JP2 signature).
 */
export function groupFragments(fragments: Uint8Array[], frames: number): Uint8Array[] {
  if (fragments.length === frames) return fragments;
  if (frames === 1) return [concat(fragments)];
  const grouped: Uint8Array[][] = [];
  for (const f of fragments) {
    if (grouped.length === 0 || startsFrame(f)) grouped.push([f]);
    else grouped[grouped.length - 1]!.push(f);
  }
  return grouped.map(concat);
}

/** Parses one Part 10 file; throws with a reason when it is not DICOM or cannot be read. */
export function parseInstance(filePath: string, warnings: string[] = []): ParsedInstance {
  const buf = fs.readFileSync(filePath);
  if (buf.length < 132 || buf.toString('latin1', 128, 132) !== 'DICM') throw new Error('not a DICOM Part 10 file (no DICM preamble)');
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) as ArrayBuffer;
  const parsed = DicomMessage.readFile(ab, { ignoreErrors: true });
  const ts = getString(parsed.meta, Tag.TransferSyntaxUID) || EXPLICIT_LE;
  const ds = parsed.dict;
  const sop = getString(ds, Tag.SOPInstanceUID);
  if (!sop || !getString(ds, Tag.StudyInstanceUID) || !getString(ds, Tag.SeriesInstanceUID)) {
    throw new Error('missing Study, Series or SOP Instance UID');
  }
  const metadata = toDicomJson(ds);
  const pixel = ds[Tag.PixelData];
  const numberOfFrames = Math.max(1, Math.floor(getNumber(ds, Tag.NumberOfFrames) ?? 1));
  let frames: Uint8Array[] = [];
  let frameSyntax = ts;
  if (pixel?.Value?.length) {
    const chunks = (pixel.Value as ArrayBuffer[]).map((v) => new Uint8Array(v));
    if (UNCOMPRESSED.has(ts)) {
      // Native pixels are served little endian; big endian words are swapped here, deflate was inflated by dcmjs.
      frameSyntax = EXPLICIT_LE;
      let all: Uint8Array = concat(chunks);
      const bits = getNumber(ds, Tag.BitsAllocated) ?? 16;
      if (ts === BIG_ENDIAN && bits > 8) all = swapBytes(all, bits / 8);
      const size = frameByteLength(ds);
      if (size <= 0) throw new Error('pixel data without usable Rows/Columns/BitsAllocated');
      const complete = Math.min(numberOfFrames, Math.floor(all.length / size));
      if (complete < numberOfFrames) {
        warnings.push(`${filePath}: pixel data holds ${complete} of ${numberOfFrames} frames (truncated)`);
      }
      for (let i = 0; i < complete; i++) frames.push(all.subarray(i * size, (i + 1) * size));
      if (getString(ds, Tag.PhotometricInterpretation) === 'YBR_FULL_422' && bits === 8) {
        const rows = getNumber(ds, Tag.Rows)!;
        const cols = getNumber(ds, Tag.Columns)!;
        frames = frames.map((f) => ybr422ToRgb(f, rows, cols));
        metadata[Tag.PhotometricInterpretation] = { vr: 'CS', Value: ['RGB'] };
        metadata['00280006'] = { vr: 'US', Value: [0] };
      }
    } else {
      frames = groupFragments(chunks, numberOfFrames);
      if (frames.length !== numberOfFrames) {
        warnings.push(`${filePath}: ${frames.length} encapsulated frames for NumberOfFrames ${numberOfFrames}`);
      }
    }
  }
  metadata[Tag.TransferSyntaxUID] = { vr: 'UI', Value: [frameSyntax] };
  return { path: filePath, metadata, frames, transferSyntax: frameSyntax };
}

/** The multipart/related body a WADO-RS server would send for one frame. */
export function frameBody(frame: Uint8Array, transferSyntax: string): Uint8Array {
  return encodeMultipartRelated(
    [{ contentType: `application/octet-stream; transfer-syntax=${transferSyntax}`, body: frame }],
    FRAME_BOUNDARY,
  ).body;
}

function listFiles(inputs: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const f of fs.readdirSync(p).sort()) walk(path.join(p, f));
    else if (st.isFile()) out.push(p);
  };
  for (const i of inputs) walk(i);
  return out;
}

function pick(ds: DicomJson, tags: string[]): DicomJson {
  const out: DicomJson = {};
  for (const t of tags) if (ds[t]) out[t] = ds[t];
  return out;
}

const STUDY_TAGS = [
  Tag.SpecificCharacterSet, Tag.StudyDate, Tag.StudyTime, Tag.AccessionNumber, Tag.ReferringPhysicianName,
  Tag.PatientName, Tag.PatientID, Tag.PatientBirthDate, Tag.PatientSex, Tag.StudyInstanceUID, Tag.StudyID,
  Tag.StudyDescription, Tag.InstitutionName,
];
const SERIES_TAGS = [
  Tag.SpecificCharacterSet, Tag.Modality, Tag.SeriesInstanceUID, Tag.SeriesNumber, Tag.SeriesDescription,
  Tag.SeriesDate, Tag.SeriesTime, Tag.BodyPartExamined, Tag.StudyInstanceUID,
];

function readJson(p: string): DicomJson[] {
  try {
    return JSON.parse(fs.readFileSync(p, 'utf8')) as DicomJson[];
  } catch {
    return [];
  }
}

function writeFile(p: string, data: string | Uint8Array) {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, data);
}

/**
 * Imports files and folders into `outDir`, merging with what is there (instances with the same SOP Instance
 * UID are replaced). Files that are not DICOM or cannot be read are skipped with a reason, never fatal.
 */
export function importFiles(inputs: string[], outDir: string, log: (line: string) => void = () => {}): ImportSummary {
  const summary: ImportSummary = { studies: 0, series: 0, instances: 0, frames: 0, skipped: [], warnings: [] };
  // study → series → sop → metadata
  const tree = new Map<string, Map<string, Map<string, DicomJson>>>();
  const seen = new Set<string>();
  const files = listFiles(inputs);
  files.forEach((file, i) => {
    let inst: ParsedInstance;
    try {
      inst = parseInstance(file, summary.warnings);
    } catch (e) {
      summary.skipped.push({ path: file, reason: e instanceof Error ? e.message : String(e) });
      return;
    }
    const s = getString(inst.metadata, Tag.StudyInstanceUID);
    const r = getString(inst.metadata, Tag.SeriesInstanceUID);
    const sop = getString(inst.metadata, Tag.SOPInstanceUID);
    if (seen.has(sop)) {
      summary.skipped.push({ path: file, reason: `duplicate SOP Instance UID ${sop}` });
      return;
    }
    seen.add(sop);
    const base = path.join(outDir, 'studies', s, 'series', r, 'instances', sop, 'frames');
    fs.rmSync(base, { recursive: true, force: true });
    inst.frames.forEach((f, n) => writeFile(path.join(base, String(n + 1)), frameBody(f, inst.transferSyntax)));
    summary.frames += inst.frames.length;
    summary.instances++;
    if (!tree.has(s)) tree.set(s, new Map());
    const series = tree.get(s)!;
    if (!series.has(r)) series.set(r, new Map());
    series.get(r)!.set(sop, inst.metadata);
    if ((i + 1) % 50 === 0) log(`  ${i + 1}/${files.length} files`);
  });

  // Merge with an existing tree and rewrite the collection files.
  const studiesIndexPath = path.join(outDir, 'studies', 'index.json');
  const studies = new Map(readJson(studiesIndexPath).map((d) => [getString(d, Tag.StudyInstanceUID), d]));
  for (const [s, seriesMap] of tree) {
    const seriesIndexPath = path.join(outDir, 'studies', s, 'series', 'index.json');
    const seriesRecords = new Map(readJson(seriesIndexPath).map((d) => [getString(d, Tag.SeriesInstanceUID), d]));
    for (const [r, instances] of seriesMap) {
      const metadataPath = path.join(outDir, 'studies', s, 'series', r, 'metadata');
      const merged = new Map(readJson(metadataPath).map((d) => [getString(d, Tag.SOPInstanceUID), d]));
      for (const [sop, md] of instances) merged.set(sop, md);
      const list = [...merged.values()].sort(
        (a, b) => (getNumber(a, Tag.InstanceNumber) ?? 0) - (getNumber(b, Tag.InstanceNumber) ?? 0),
      );
      writeFile(metadataPath, JSON.stringify(list));
      const first = list[0]!;
      seriesRecords.set(r, {
        ...pick(first, SERIES_TAGS),
        [Tag.NumberOfSeriesRelatedInstances]: { vr: 'IS', Value: [list.length] },
      });
    }
    const seriesList = [...seriesRecords.values()];
    writeFile(seriesIndexPath, JSON.stringify(seriesList));
    const anyInstance = [...seriesMap.values()][0]!.values().next().value!;
    const modalities = [...new Set(seriesList.map((x) => getString(x, Tag.Modality)).filter(Boolean))];
    const instanceCount = seriesList.reduce((n, x) => n + (getNumber(x, Tag.NumberOfSeriesRelatedInstances) ?? 0), 0);
    studies.set(s, {
      ...pick(studies.get(s) ?? anyInstance, STUDY_TAGS),
      ...pick(anyInstance, STUDY_TAGS),
      [Tag.ModalitiesInStudy]: { vr: 'CS', Value: modalities },
      [Tag.NumberOfStudyRelatedSeries]: { vr: 'IS', Value: [seriesList.length] },
      [Tag.NumberOfStudyRelatedInstances]: { vr: 'IS', Value: [instanceCount] },
    });
    summary.series += seriesMap.size;
  }
  writeFile(studiesIndexPath, JSON.stringify([...studies.values()]));
  summary.studies = tree.size;
  return summary;
}
