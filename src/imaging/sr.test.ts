import { metaData } from '@cornerstonejs/core';
import { annotation as csAnnotation } from '@cornerstonejs/tools';
import { wadors } from '@cornerstonejs/dicom-image-loader';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readMeasurementGroups } from '../model/srContent';
import { MeasurementBook } from './annotations';
import { buildMeasurementReport, parseMeasurementReport, planeNormalOf, restoreMeasurementReport, trackingUidOf } from './sr';

// A 100×100 axial CT slice: 0.5 mm pixels, first pixel centre at (−25, −25, 10) mm.
const STUDY = '1.2.826.0.1.3680043.8.498.1';
const SERIES = '1.2.826.0.1.3680043.8.498.2';
const SOP = '1.2.826.0.1.3680043.8.498.3';
/** The viewer's measurement bookkeeping, as a session holds it. */
const book = new MeasurementBook();
const imageId = `wadors:http://pacs/dicom-web/studies/${STUDY}/series/${SERIES}/instances/${SOP}/frames/1`;
const plane = {
  frameOfReferenceUID: '1.2.826.0.1.3680043.8.498.4',
  rows: 100,
  columns: 100,
  imagePositionPatient: [-25, -25, 10],
  rowCosines: [1, 0, 0],
  columnCosines: [0, 1, 0],
  rowPixelSpacing: 0.5,
  columnPixelSpacing: 0.5,
};
const header = {
  '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] },
  '00080018': { vr: 'UI', Value: [SOP] },
  '00080060': { vr: 'CS', Value: ['CT'] },
  '00100010': { vr: 'PN', Value: [{ Alphabetic: 'TEST^SR' }] },
  '00100020': { vr: 'LO', Value: ['SR-1'] },
  '0020000D': { vr: 'UI', Value: [STUDY] },
  '0020000E': { vr: 'UI', Value: [SERIES] },
  '00200052': { vr: 'UI', Value: [plane.frameOfReferenceUID] },
  '00280030': { vr: 'DS', Value: [0.5, 0.5] },
};

/** World position of image pixel (column, row) centre. */
const world = (column: number, row: number): [number, number, number] => [-25 + column * 0.5, -25 + row * 0.5, 10];

function annotation(uid: string, toolName: string, points: [number, number, number][], label: string, stats: Record<string, unknown>) {
  return {
    annotationUID: uid,
    highlighted: false,
    invalidated: false,
    isLocked: false,
    isVisible: true,
    metadata: { toolName, referencedImageId: imageId, FrameOfReferenceUID: plane.frameOfReferenceUID, viewPlaneNormal: [0, 0, -1] as [number, number, number] },
    data: { label, handles: { points, textBox: { hasMoved: false } }, cachedStats: { [`imageId:${imageId}`]: stats } },
  };
}

/** Adds an annotation of the test image to Cornerstone's state. */
function add(...args: Parameters<typeof annotation>): void {
  csAnnotation.state.addAnnotation(annotation(...args) as never, plane.frameOfReferenceUID);
}

/** A report of every annotation present, in the test series. */
const buildReport = (seriesInstanceUID: string, seriesNumber: number, instanceNumber: number) =>
  buildMeasurementReport(book, undefined, { seriesInstanceUID, seriesNumber, instanceNumber, seriesDescription: 'Measurements (test)', softwareVersion: 'test' });

beforeAll(() => {
  // The annotation store checks `instanceof HTMLDivElement` for its group key; tests run without a DOM.
  (globalThis as { HTMLDivElement?: unknown }).HTMLDivElement ??= class {};
  metaData.addProvider((type: string, id: string) => {
    if (id !== imageId) return undefined;
    if (type === 'imagePlaneModule') return plane;
    if (type === 'sopCommonModule') return { sopClassUID: '1.2.840.10008.5.1.4.1.1.2', sopInstanceUID: SOP };
    if (type === 'imagePixelModule') return { rows: 100, columns: 100 };
    return undefined;
  }, 10_000);
  wadors.metaDataManager.add(imageId, header as never);
});

afterEach(() => csAnnotation.state.removeAllAnnotations());

describe('measurement report (TID 1500)', () => {
  it('holds each measurement with its value, label, image reference and image coordinates', () => {
    add('a-length', 'Length', [world(10, 20), world(70, 100 - 20)], 'lesion A', { length: 42.43, unit: 'mm' });
    add('a-arrow', 'ArrowAnnotate', [world(50, 50), world(60, 60)], 'look here', {});
    add('a-text', 'Label', [world(30, 30)], 'node', {});

    const built = buildReport('2.25.1', 7, 2);
    expect(built.count).toBe(3);
    expect(built.studyInstanceUID).toBe(STUDY);
    expect(built.seriesInstanceUID).toBe('2.25.1');

    const parsed = parseMeasurementReport(built.bytes);
    const ds = parsed.dataset;
    // The report belongs to the patient and study of its images, and is an SR of this viewer.
    expect(ds.Modality).toBe('SR');
    expect(ds.StudyInstanceUID).toBe(STUDY);
    expect(ds.PatientID).toBe('SR-1');
    expect(ds.SeriesNumber).toBe(7);
    expect(ds.InstanceNumber).toBe(2);
    expect(ds.ContentQualification).toBeUndefined();
    expect(parsed.referencedSeries).toEqual([SERIES]);

    const groups = readMeasurementGroups(ds);
    expect(groups).toHaveLength(3);
    const length = groups.find((g) => g.trackingIdentifier.endsWith(':Length'))!;
    expect(length.label).toBe('lesion A');
    expect(length.values).toEqual([{ concept: 'Length', value: 42.43, unit: 'mm' }]);
    expect(length.graphic?.type).toBe('POLYLINE');
    expect(length.graphic?.sopInstanceUID).toBe(SOP);
    // Image coordinates put pixel (c, r)'s centre at (c + 0.5, r + 0.5), as DICOM SCOORD does.
    expect(length.graphic?.data).toEqual([10.5, 20.5, 70.5, 80.5]);
    const arrow = groups.find((g) => g.trackingIdentifier.endsWith(':ArrowAnnotate'))!;
    expect(arrow.label).toBe('look here');
    const text = groups.find((g) => g.trackingIdentifier.endsWith(':Label'))!;
    expect(text.label).toBe('node');
    expect(text.graphic?.type).toBe('POINT');
    expect(text.graphic?.data).toEqual([30.5, 30.5]);
  });

  it('puts saved measurements back on their images, once', () => {
    add('a-length', 'Length', [world(10, 20), world(70, 80)], 'lesion A', { length: 42.43, unit: 'mm' });
    add('a-text', 'Label', [world(30, 30)], 'node', {});
    const built = buildReport('2.25.2', 8, 1);
    csAnnotation.state.removeAllAnnotations();

    const report = parseMeasurementReport(built.bytes);
    const lookup = (sop: string, frame: number) => (sop === SOP && frame === 1 ? imageId : undefined);
    const result = restoreMeasurementReport(book, report, lookup);
    expect(result).toMatchObject({ restored: 2, already: 0, skipped: 0 });
    const restored = csAnnotation.state.getAllAnnotations();
    const length = restored.find((a) => a.metadata?.toolName === 'Length')!;
    expect(length.data.label).toBe('lesion A');
    expect(length.metadata?.referencedImageId).toBe(imageId);
    // Shown by a stack viewport looking along −(row × column).
    expect(length.metadata?.viewPlaneNormal).toEqual([-0, -0, -1]);
    const points = length.data.handles!.points!;
    points.forEach((p, i) => [world(10, 20), world(70, 80)][i]!.forEach((v, k) => expect(p[k]).toBeCloseTo(v, 6)));
    const text = restored.find((a) => a.metadata?.toolName === 'Label')!;
    expect(text.data.label).toBe('node');

    // Opening the same report again adds nothing.
    expect(restoreMeasurementReport(book, report, lookup)).toMatchObject({ restored: 0, already: 2 });
    // A report on images this study does not have says so instead of drawing them anywhere.
    csAnnotation.state.removeAllAnnotations();
    expect(restoreMeasurementReport(book, report, () => undefined)).toMatchObject({ restored: 0, skipped: 2 });
  });

  it('refuses documents that are not measurement reports', () => {
    expect(() => readMeasurementGroups({ ContentTemplateSequence: [{ TemplateIdentifier: '2000' }] })).toThrow(/TID 1500/);
  });
});

describe('tracking UIDs', () => {
  it('keeps each measurement’s identity across saves, so opening the report just saved adds nothing', () => {
    const uuid = '3f2a9c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b';
    add(uuid, 'Length', [world(10, 20), world(70, 80)], 'lesion A', { length: 42.43, unit: 'mm' });
    const options = { seriesInstanceUID: '2.25.3', seriesNumber: 9, instanceNumber: 1, seriesDescription: 'M', softwareVersion: 't' };
    const first = parseMeasurementReport(buildMeasurementReport(book, undefined, options).bytes);
    const second = parseMeasurementReport(buildMeasurementReport(book, undefined, { ...options, instanceNumber: 2 }).bytes);
    const uid = `2.25.${BigInt('0x3f2a9c1e8b7d4e6f9a0b1c2d3e4f5a6b').toString()}`;
    expect(trackingUidOf(uuid)).toBe(uid);
    expect(readMeasurementGroups(first.dataset)[0]!.trackingUid).toBe(uid);
    expect(readMeasurementGroups(second.dataset)[0]!.trackingUid).toBe(uid);
    const lookup = (sop: string) => (sop === SOP ? imageId : undefined);
    expect(restoreMeasurementReport(book, first, lookup)).toMatchObject({ restored: 0, already: 1 });
    expect(trackingUidOf('1.2.3')).toBe('1.2.3');
    expect(trackingUidOf('not a uid')).toBeUndefined();
  });

  it('keeps measurements made on reformatted (MPR) planes in patient coordinates, and puts them back in their volume', () => {
    const volumeId = 'cornerstoneStreamingImageVolume:test';
    book.registerVolumeImages(volumeId, [imageId]);
    // A length on a sagittal plane (x = 5): in no image of the axial series.
    const key = `volumeId:${volumeId}?sliceIndex=3&viewPlaneNormal=1.000,0.000,0.000`;
    csAnnotation.state.addAnnotation(
      {
        annotationUID: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
        highlighted: false,
        invalidated: false,
        isLocked: false,
        isVisible: true,
        metadata: { toolName: 'Length', volumeId, FrameOfReferenceUID: plane.frameOfReferenceUID, viewPlaneNormal: [1, 0, 0] },
        data: { label: 'sagittal', handles: { points: [[5, -10, 0], [5, 10, 15]], textBox: { hasMoved: false } }, cachedStats: { [key]: { length: 25, unit: 'mm' } } },
      } as never,
      plane.frameOfReferenceUID,
    );
    add('a-axial', 'Length', [world(10, 20), world(70, 80)], 'axial', { length: 42.43, unit: 'mm' });
    const built = buildReport('2.25.5', 9, 1);
    const parsed = parseMeasurementReport(built.bytes);
    // Patient coordinates make it a Comprehensive 3D SR; the image measurement keeps its image coordinates.
    expect(parsed.dataset.SOPClassUID).toBe('1.2.840.10008.5.1.4.1.1.88.34');
    expect(parsed.referencedSeries).toEqual([SERIES]);
    const groups = readMeasurementGroups(parsed.dataset);
    const sagittal = groups.find((g) => g.label === 'sagittal')!;
    expect(sagittal.values).toEqual([{ concept: 'Length', value: 25, unit: 'mm' }]);
    expect(sagittal.graphic).toMatchObject({ type: 'POLYLINE', frameOfReferenceUID: plane.frameOfReferenceUID, data: [5, -10, 0, 5, 10, 15] });
    expect(sagittal.trackingUid).toBe(trackingUidOf('6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f'));
    const axial = groups.find((g) => g.label === 'axial')!;
    expect(axial.graphic).toMatchObject({ sopInstanceUID: SOP, data: [10.5, 20.5, 70.5, 80.5] });
    expect(axial.graphic?.frameOfReferenceUID).toBeUndefined();

    csAnnotation.state.removeAllAnnotations();
    const lookup = (sop: string, frame: number) => (sop === SOP && frame === 1 ? imageId : undefined);
    // Without a volume in its frame of reference it cannot be placed, and is counted.
    expect(restoreMeasurementReport(book, parsed, lookup)).toMatchObject({ restored: 1, skipped: 1 });
    csAnnotation.state.removeAllAnnotations();
    const volumeFor = (forUid: string) => (forUid === plane.frameOfReferenceUID ? { volumeId, imageIds: [imageId] } : undefined);
    expect(restoreMeasurementReport(book, parsed, lookup, volumeFor)).toMatchObject({ restored: 2, skipped: 0 });
    const back = csAnnotation.state.getAllAnnotations().find((a) => a.data?.label === 'sagittal')!;
    expect(back.metadata!.referencedImageId).toBeUndefined();
    expect(back.metadata!.volumeId).toBe(volumeId);
    expect(back.data.handles!.points).toEqual([[5, -10, 0], [5, 10, 15]]);
  });
});

describe('planeNormalOf', () => {
  it('gives the unit normal of points that span a plane, nothing for a line', () => {
    expect(planeNormalOf([[5, 0, 0], [5, 10, 0], [5, 0, 7]])!.map((v) => Math.abs(v))).toEqual([1, 0, 0]);
    expect(planeNormalOf([[0, 0, 0], [1, 1, 1]])).toBeUndefined();
    expect(planeNormalOf([[0, 0, 0], [1, 1, 1], [2, 2, 2]])).toBeUndefined();
  });
});
