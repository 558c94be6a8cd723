// What the measurement panel does with the PACS and the viewports: save as DICOM SR (STOW-RS), open a saved
// report, export CSV, jump to a measurement.
import { imageIdsFor, renderAll, volumeIdFor, type MeasurementBook, type StackController } from '../imaging';
import { frameOfReference } from '../model/volume';
import { getString, type DicomJson } from '../dicom/json';
import { measurementsToCsv, type Measurement } from '../model/measurements';
import { newUid } from '../model/uid';
import { clientFor } from '../store/config';
import { useMeasurementStore } from '../store/measurements';
import { useStudyStore } from '../store/study';
import { useViewerStore } from '../store/viewer';

const APP_VERSION = '0.1.0';
export const REPORT_DESCRIPTION = 'Measurements (Lumen)';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Position of a measurement's image in its series as the viewer shows it (0-based), or -1. */
export function imageIndexOf(m: Pick<Measurement, 'seriesInstanceUID' | 'sopInstanceUID' | 'frameNumber'>): number {
  const frames = useStudyStore.getState().series[m.seriesInstanceUID]?.displaySet?.frames ?? [];
  return frames.findIndex((f) => f.sopInstanceUID === m.sopInstanceUID && f.frameNumber === m.frameNumber);
}

/** A measurement's first point in patient coordinates (from its geometry). */
function firstPoint(m: Measurement): [number, number, number] | undefined {
  if (m.reformatted) return m.reformatted.point;
  const p = (m.geometry ?? '').split(';')[0]?.split(' ').map(Number);
  return p && p.length === 3 && p.every(Number.isFinite) ? [p[0]!, p[1]!, p[2]!] : undefined;
}

/**
 * Shows the measurement: in MPR (which crosses at it) when its series is open there or it was made on a
 * reformatted plane, else its image in the viewport that has its series, or in the active viewport.
 */
export function jumpTo(m: Measurement, controllers: Map<number, StackController>): void {
  const viewer = useViewerStore.getState();
  const point = firstPoint(m);
  if (point && viewer.mpr?.seriesInstanceUID === m.seriesInstanceUID) {
    viewer.centerMpr(point);
    return;
  }
  if (m.reformatted) {
    viewer.openMpr(m.seriesInstanceUID, 0, viewer.active, undefined, viewer.mpr?.with3d, m.reformatted.point);
    return;
  }
  // Coming back from MPR the stack viewports start afresh: they open on the image rather than scroll to it.
  const fromMpr = !!viewer.mpr;
  if (fromMpr) viewer.closeMpr();
  const index = Math.max(0, imageIndexOf(m));
  const at = viewer.slots.findIndex((slot) => slot.seriesInstanceUID === m.seriesInstanceUID);
  if (at >= 0 && fromMpr) {
    viewer.showSeries(at, m.seriesInstanceUID, index);
  } else if (at >= 0) {
    viewer.setActive(at);
    void controllers.get(at)?.setImageIndex(index);
  } else {
    viewer.showSeries(viewer.active, m.seriesInstanceUID, index);
  }
}

/** The next free series number in the study (reports go after the images). */
function nextSeriesNumber(studyUID: string): number {
  const { seriesOrder, series } = useStudyStore.getState();
  const numbers = (seriesOrder[studyUID] ?? []).map((uid) => series[uid]?.summary.seriesNumber ?? 0);
  return Math.max(0, ...numbers) + 1;
}

/**
 * Saves every measurement of the session as one DICOM SR (TID 1500) instance per study, stored with STOW-RS.
 * On failure nothing is lost: the measurements stay as they are and the save can be tried again.
 */
/** `book`: the viewer's measurements (its imaging session's). */
export async function saveMeasurements(book: MeasurementBook): Promise<void> {
  const store = useMeasurementStore.getState();
  if (store.save.state === 'saving') return;
  const { dataSource } = useStudyStore.getState();
  const client = clientFor(dataSource);
  if (!client?.canStore) {
    store.setSave({ state: 'error', message: `Data source "${dataSource}" cannot store reports (it is a static file tree).` });
    return;
  }
  const items = store.items;
  const byStudy = new Map<string, Measurement[]>();
  for (const m of items) byStudy.set(m.studyInstanceUID, [...(byStudy.get(m.studyInstanceUID) ?? []), m]);
  // A study whose measurements were all deleted since its report was stored: nothing to store (a report needs a
  // measurement), and the PACS keeps the earlier report; the reader is told so.
  const emptied = [...new Set(Object.values(store.saved).map((v) => v.study))].filter((study) => study && !byStudy.has(study));
  for (const study of emptied) store.markSaved(study, []);
  if (items.length === 0) {
    if (emptied.length > 0) {
      store.setSave({ state: 'error', message: 'Nothing to store: the PACS still holds the earlier report with the measurements deleted here' });
    }
    return;
  }
  store.setSave({ state: 'saving', count: items.length });
  try {
    const { buildMeasurementReport } = await import('../imaging/sr');
    let seriesNumber = 0;
    for (const [studyUID, sent] of byStudy) {
      const uids = sent.map((m) => m.uid);
      const series = useMeasurementStore.getState().reportSeries[studyUID] ?? {
        studyInstanceUID: studyUID,
        seriesInstanceUID: newUid(),
        seriesNumber: nextSeriesNumber(studyUID),
        nextInstanceNumber: 1,
      };
      const built = buildMeasurementReport(book, uids, {
        seriesInstanceUID: series.seriesInstanceUID,
        seriesNumber: series.seriesNumber,
        instanceNumber: series.nextInstanceNumber,
        seriesDescription: REPORT_DESCRIPTION,
        softwareVersion: APP_VERSION,
      });
      const result = await client.storeInstances(studyUID, [{ sopInstanceUID: built.sopInstanceUID, bytes: built.bytes }]);
      const failure = result.failed[built.sopInstanceUID];
      if (failure) throw new Error(`The PACS did not store the report (${result.status}): ${failure}`);
      useMeasurementStore.getState().setReportSeries({ ...series, nextInstanceNumber: series.nextInstanceNumber + 1 });
      useMeasurementStore.getState().markSaved(studyUID, sent);
      useStudyStore.getState().addSeries({
        studyInstanceUID: studyUID,
        seriesInstanceUID: series.seriesInstanceUID,
        modality: 'SR',
        seriesNumber: series.seriesNumber,
        description: REPORT_DESCRIPTION,
        bodyPart: '',
        numInstances: series.nextInstanceNumber,
      });
      // The report just stored is what the session shows: opening it again must not add copies.
      useMeasurementStore.getState().setReport(series.seriesInstanceUID, { state: 'loaded', restored: uids.length, skipped: 0 });
      seriesNumber = series.seriesNumber;
    }
    useMeasurementStore.getState().setSave({ state: 'saved', count: items.length, seriesNumber });
  } catch (e) {
    useMeasurementStore.getState().setSave({ state: 'error', message: `Saving the measurements failed: ${message(e)}` });
  }
}

/** The newest instance of a report series: latest content date and time, then highest instance number. */
export function newestInstance(instances: DicomJson[]): DicomJson | undefined {
  const key = (d: DicomJson) =>
    `${getString(d, '00080023')}${getString(d, '00080033').padEnd(13, '0')}${String(Number(getString(d, '00200013')) || 0).padStart(8, '0')}`;
  return [...instances].sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0))[0];
}

/**
 * Opens a measurement report: its newest instance is fetched, the image series it refers to are loaded, and
 * its measurements are put back on their images.
 */
export async function openReport(book: MeasurementBook, seriesUID: string): Promise<void> {
  const store = useMeasurementStore.getState();
  const studies = useStudyStore.getState();
  const entry = studies.series[seriesUID];
  const client = clientFor(studies.dataSource);
  if (!entry || !client || store.reports[seriesUID]?.state === 'loading') return;
  store.setReport(seriesUID, { state: 'loading' });
  try {
    const studyUID = entry.summary.studyInstanceUID;
    const instances = await client.retrieveSeriesMetadata(studyUID, seriesUID);
    const newest = newestInstance(instances);
    if (!newest) throw new Error('the series holds no report');
    const bytes = await client.retrieveInstance(studyUID, seriesUID, getString(newest, '00080018'));
    const sr = await import('../imaging/sr');
    const report = sr.parseMeasurementReport(bytes);
    const known = useStudyStore.getState().seriesOrder[studyUID] ?? [];
    const referenced = report.referencedSeries.filter((uid) => known.includes(uid));
    const toLoad = referenced.length > 0 ? referenced : known.filter((uid) => useStudyStore.getState().series[uid]?.summary.modality !== 'SR');
    const sets = await Promise.all(toLoad.map((uid) => useStudyStore.getState().loadSeries(uid)));
    const imageIds = new Map<string, string>();
    // Measurements made on MPR planes are placed in a series' volume by frame of reference (the first loaded).
    const volumes = new Map<string, { volumeId: string; imageIds: string[] }>();
    for (const ds of sets) {
      if (!ds) continue;
      const ids = imageIdsFor(client, ds.frames);
      ds.frames.forEach((f, i) => imageIds.set(`${f.sopInstanceUID}:${f.frameNumber}`, ids[i]!));
      const forUid = ds.frames[0] && frameOfReference(ds.frames[0]);
      if (forUid && !volumes.has(forUid)) volumes.set(forUid, { volumeId: volumeIdFor(ds.series.seriesInstanceUID), imageIds: ids });
    }
    const result = sr.restoreMeasurementReport(
      book,
      report,
      (sop, frame) => imageIds.get(`${sop}:${frame}`),
      (forUid) => volumes.get(forUid),
    );
    useMeasurementStore.getState().markRestored(result.uids);
    renderAll();
    useMeasurementStore.getState().setReport(seriesUID, { state: 'loaded', restored: result.restored + result.already, skipped: result.skipped });
  } catch (e) {
    useMeasurementStore.getState().setReport(seriesUID, { state: 'error', message: `This report could not be opened: ${message(e)}` });
  }
}

/** The measurement table as a CSV download. The file name carries no patient data. */
export function exportCsv(): void {
  const { items } = useMeasurementStore.getState();
  const { series } = useStudyStore.getState();
  const csv = measurementsToCsv(items, {
    series: (uid) => {
      const s = series[uid]?.summary;
      return s ? { number: s.seriesNumber, description: s.description } : undefined;
    },
    imageNumber: (m) => {
      const i = imageIndexOf(m);
      return i >= 0 ? i + 1 : undefined;
    },
  });
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = 'measurements.csv';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
