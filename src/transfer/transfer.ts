// Moving instances out of a data source: as a zip of Part 10 files, or stored into another data source with
// STOW-RS (upload of local files, or a de-identified copy for a research PACS). Both go one instance at a time
// (retrieve, optionally de-identify, write or batch), so a large study never sits in memory whole, and both
// report per instance, so a partial failure loses nothing and can be retried.
import type { DicomWebClient } from '../dicomweb/client';
import { getString } from '../dicom/json';
import { Tag } from '../dicom/tags';
import { deidentify, type DeidOptions, type DicomDataset, UidMap } from '../deid/deidentify';
import { dcmjs } from '../dicom/dcmjs';
import { isUid } from '../model/uid';
import type { DcmjsDataset } from 'dcmjs';
import { ZipBuilder } from './zip';

export interface InstanceRef {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
}

/** De-identification for one export session: the options and the UID map every instance shares. */
export interface DeidSession {
  options: DeidOptions;
  uids: UidMap;
}

export function deidSession(options: DeidOptions): DeidSession {
  return { options, uids: new UidMap() };
}

export interface TransferReport {
  total: number;
  /** Instances handled so far (stored, present or failed). */
  done: number;
  /** SOP Instance UIDs (of the source) written or stored. */
  stored: string[];
  /** Already on the destination: not sent again. */
  present: string[];
  /** Source SOP Instance UID → why it failed. */
  failed: Record<string, string>;
  /** Things to tell the user (burned-in text, server warnings), each once. */
  warnings: string[];
}

export function emptyReport(total: number): TransferReport {
  return { total, done: 0, stored: [], present: [], failed: {}, warnings: [] };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The instances of a study, or of some of its series, from the source's series list and metadata. */
export async function instancesOf(client: DicomWebClient, studyUID: string, seriesUIDs?: string[], signal?: AbortSignal): Promise<InstanceRef[]> {
  const series = seriesUIDs ?? (await client.searchSeries(studyUID, signal)).map((s) => getString(s, Tag.SeriesInstanceUID)).filter(Boolean);
  const out: InstanceRef[] = [];
  for (const seriesUID of series) {
    const metadata = await client.retrieveSeriesMetadata(studyUID, seriesUID, signal);
    for (const m of metadata) {
      const sop = getString(m, Tag.SOPInstanceUID);
      if (sop) out.push({ studyInstanceUID: studyUID, seriesInstanceUID: seriesUID, sopInstanceUID: sop });
    }
  }
  return out;
}

/** One instance's Part 10 bytes and where it belongs, de-identified when a session is given. */
export async function prepareInstance(
  client: DicomWebClient,
  ref: InstanceRef,
  deid: DeidSession | undefined,
  signal?: AbortSignal,
): Promise<{ bytes: Uint8Array; ref: InstanceRef; warnings: string[] }> {
  const bytes = await client.retrieveInstance(ref.studyInstanceUID, ref.seriesInstanceUID, ref.sopInstanceUID, signal);
  if (!deid) return { bytes, ref, warnings: [] };
  const read = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const result = deidentify(read.dict as unknown as DicomDataset, read.meta as unknown as DicomDataset, deid.options, deid.uids);
  const out = new dcmjs.data.DicomDict(result.meta as unknown as DcmjsDataset);
  out.dict = result.dict as unknown as DcmjsDataset;
  const written = new Uint8Array(out.write());
  const mapped = (uid: string) => deid.uids.lookup(uid) ?? deid.uids.remap(uid);
  return {
    bytes: written,
    ref: { studyInstanceUID: mapped(ref.studyInstanceUID), seriesInstanceUID: mapped(ref.seriesInstanceUID), sopInstanceUID: mapped(ref.sopInstanceUID) },
    warnings: result.warnings,
  };
}

function addWarnings(report: TransferReport, warnings: string[]): void {
  for (const w of warnings) if (!report.warnings.includes(w)) report.warnings.push(w);
}

/** Said once in an export's warnings when some UID could not name its file as it is. */
export const RENAMED_UID_WARNING =
  'Some UIDs are not valid DICOM UIDs, so their folders or files are named "invalid-uid-…" in the zip (the DICOM files themselves are unchanged).';

/**
 * A UID as a folder or file name in an export zip: the UID itself when it is one (digits and dots: it cannot leave
 * the folder it is unpacked into), otherwise a stand-in made from a hash of it, so the instances of one oddly named
 * series still share a folder. UIDs come from a PACS or a dropped file: untrusted.
 */
export function zipSegment(uid: string): { name: string; renamed: boolean } {
  if (isUid(uid)) return { name: uid, renamed: false };
  // FNV-1a, 32 bits: short and stable; a rare clash is refused by the zip (a duplicate name) and reported.
  let h = 0x811c9dc5;
  for (let i = 0; i < uid.length; i++) h = Math.imul(h ^ uid.charCodeAt(i), 0x01000193) >>> 0;
  return { name: `invalid-uid-${h.toString(16).padStart(8, '0')}`, renamed: true };
}

/** Where an instance goes in an export zip: `<study>/<series>/<SOP instance>.dcm`, each a checked UID. */
export function zipEntryName(ref: InstanceRef): { name: string; renamed: boolean } {
  const parts = [ref.studyInstanceUID, ref.seriesInstanceUID, ref.sopInstanceUID].map(zipSegment);
  return { name: `${parts.map((p) => p.name).join('/')}.dcm`, renamed: parts.some((p) => p.renamed) };
}

/**
 * A zip of the instances (`<study UID>/<series UID>/<SOP instance UID>.dcm`: UIDs, never names, so file names
 * carry no patient data; a UID that is not one gets a stand-in name, see zipSegment). Instances that cannot be
 * retrieved are reported and left out.
 */
export async function exportZip(
  client: DicomWebClient,
  refs: InstanceRef[],
  deid: DeidSession | undefined,
  onProgress: (r: TransferReport) => void,
  signal?: AbortSignal,
): Promise<{ blob: Blob; report: TransferReport }> {
  const zip = new ZipBuilder();
  const report = emptyReport(refs.length);
  for (const ref of refs) {
    signal?.throwIfAborted();
    try {
      const prepared = await prepareInstance(client, ref, deid, signal);
      const entry = zipEntryName(prepared.ref);
      zip.add(entry.name, prepared.bytes);
      report.stored.push(ref.sopInstanceUID);
      addWarnings(report, entry.renamed ? [...prepared.warnings, RENAMED_UID_WARNING] : prepared.warnings);
    } catch (e) {
      if (signal?.aborted) throw e;
      report.failed[ref.sopInstanceUID] = message(e);
    }
    report.done++;
    onProgress({ ...report });
  }
  return { blob: await zip.finish(), report };
}

/** Limits of one STOW-RS request. */
const BATCH_INSTANCES = 16;
const BATCH_BYTES = 32 * 1024 * 1024;

/**
 * Stores the instances into `target` with STOW-RS (C-STORE), in batches per study. Without de-identification,
 * instances the target already holds are skipped as present (asked with QIDO first). A refused batch fails its
 * instances with the server's reason and the rest go on.
 */
export async function sendInstances(
  source: DicomWebClient,
  target: DicomWebClient,
  refs: InstanceRef[],
  deid: DeidSession | undefined,
  onProgress: (r: TransferReport) => void,
  signal?: AbortSignal,
): Promise<TransferReport> {
  const report = emptyReport(refs.length);
  const byStudy = new Map<string, InstanceRef[]>();
  for (const r of refs) byStudy.set(r.studyInstanceUID, [...(byStudy.get(r.studyInstanceUID) ?? []), r]);
  for (const [studyUID, list] of byStudy) {
    let present = new Set<string>();
    if (!deid) {
      try {
        present = await target.searchInstanceUIDs(studyUID, signal);
      } catch {
        // Not knowing what is there only costs sending it again.
      }
    }
    let batch: { source: InstanceRef; sopInstanceUID: string; bytes: Uint8Array }[] = [];
    let batchBytes = 0;
    let targetStudy = studyUID;
    const flush = async () => {
      if (batch.length === 0) return;
      const sending = batch;
      batch = [];
      batchBytes = 0;
      try {
        const result = await target.storeInstances(targetStudy, sending.map((b) => ({ sopInstanceUID: b.sopInstanceUID, bytes: b.bytes })), signal);
        for (const b of sending) {
          const failure = result.failed[b.sopInstanceUID];
          if (failure !== undefined) report.failed[b.source.sopInstanceUID] = failure;
          else report.stored.push(b.source.sopInstanceUID);
          const warning = result.warnings[b.sopInstanceUID];
          if (warning) addWarnings(report, [`the server stored with a warning: ${warning}`]);
        }
      } catch (e) {
        if (signal?.aborted) throw e;
        for (const b of sending) report.failed[b.source.sopInstanceUID] = message(e);
      }
      report.done += sending.length;
      onProgress({ ...report, stored: [...report.stored], failed: { ...report.failed } });
    };
    for (const ref of list) {
      signal?.throwIfAborted();
      if (present.has(ref.sopInstanceUID)) {
        report.present.push(ref.sopInstanceUID);
        report.done++;
        onProgress({ ...report });
        continue;
      }
      try {
        const prepared = await prepareInstance(source, ref, deid, signal);
        targetStudy = prepared.ref.studyInstanceUID;
        addWarnings(report, prepared.warnings);
        if (batchBytes + prepared.bytes.length > BATCH_BYTES) await flush();
        batch.push({ source: ref, sopInstanceUID: prepared.ref.sopInstanceUID, bytes: prepared.bytes });
        batchBytes += prepared.bytes.length;
        if (batch.length >= BATCH_INSTANCES) await flush();
      } catch (e) {
        if (signal?.aborted) throw e;
        report.failed[ref.sopInstanceUID] = message(e);
        report.done++;
        onProgress({ ...report });
      }
    }
    await flush();
  }
  return report;
}
