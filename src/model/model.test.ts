import { describe, expect, it } from 'vitest';
import type { DicomJson } from '../dicom/json';
import { buildDisplaySet, sortSeries } from './displaySet';
import { formatDate, formatPersonName, formatTime, toDicomDate } from './format';
import { edgeLabels, orientationLabel, planePosition, sliceNormal } from './geometry';
import { instanceFromMetadata, seriesFromQido, studyFromQido } from './parse';
import type { SeriesSummary } from './types';

const series: SeriesSummary = {
  studyInstanceUID: '1',
  seriesInstanceUID: '1.1',
  modality: 'CT',
  description: 'AXIAL',
  bodyPart: '',
};

function ct(uid: string, instanceNumber: number, z: number, extra: DicomJson = {}): DicomJson {
  return {
    '00080018': { vr: 'UI', Value: [uid] },
    '00200013': { vr: 'IS', Value: [instanceNumber] },
    '00280010': { vr: 'US', Value: [512] },
    '00280011': { vr: 'US', Value: [512] },
    '00200032': { vr: 'DS', Value: [-100, -100, z] },
    '00200037': { vr: 'DS', Value: [1, 0, 0, 0, 1, 0] },
    ...extra,
  };
}

describe('parse', () => {
  it('reads QIDO study and series records', () => {
    const study = studyFromQido({
      '0020000D': { vr: 'UI', Value: ['1.2'] },
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'DOE^JANE' }] },
      '00080061': { vr: 'CS', Value: ['CT', 'SR'] },
      '00201206': { vr: 'IS', Value: ['3'] },
    });
    expect(study.patientName).toBe('DOE^JANE');
    expect(study.modalities).toEqual(['CT', 'SR']);
    expect(study.numSeries).toBe(3);
    expect(study.accessionNumber).toBe('');
    const s = seriesFromQido({ '0020000E': { vr: 'UI', Value: ['9'] }, '00200011': { vr: 'IS', Value: [4] } }, '1.2');
    expect(s.studyInstanceUID).toBe('1.2');
    expect(s.seriesNumber).toBe(4);
  });

  it('ignores non-numeric geometry instead of producing NaN positions', () => {
    const inst = instanceFromMetadata(ct('1', 1, 0, { '00200032': { vr: 'DS', Value: ['a', 'b', 'c'] } }));
    expect(inst.imagePositionPatient).toBeUndefined();
    expect(inst.numberOfFrames).toBe(1);
  });

  it('reads per-frame positions of enhanced multi-frame objects', () => {
    const frame = (z: number): DicomJson => ({
      '00209113': { vr: 'SQ', Value: [{ '00200032': { vr: 'DS', Value: [0, 0, z] } }] },
    });
    const inst = instanceFromMetadata({
      ...ct('1', 1, 0),
      '00280008': { vr: 'IS', Value: ['3'] },
      '52009229': {
        vr: 'SQ',
        Value: [{ '00209116': { vr: 'SQ', Value: [{ '00200037': { vr: 'DS', Value: [1, 0, 0, 0, 1, 0] } }] } }],
      },
      '52009230': { vr: 'SQ', Value: [frame(5), frame(3), frame(4)] },
    });
    expect(inst.framePositions).toEqual([
      [0, 0, 5],
      [0, 0, 3],
      [0, 0, 4],
    ]);
    const set = buildDisplaySet(series, [inst]);
    // No instance numbers per frame: head first (z 5, 4, 3).
    expect(set.frames.map((f) => f.frameNumber)).toEqual([1, 3, 2]);
  });
});

describe('buildDisplaySet', () => {
  it('sorts by position along the normal, following the scanner numbering direction', () => {
    // Instance numbers go head (z=20) to feet; delivered shuffled, one instance number wrong.
    const instances = [ct('c', 3, 0), ct('a', 1, 20), ct('b', 7, 10)].map(instanceFromMetadata);
    const set = buildDisplaySet(series, instances);
    expect(set.frames.map((f) => f.sopInstanceUID)).toEqual(['a', 'b', 'c']);
    expect(set.notes.map((n) => n.kind)).toEqual(['sorted-by-position']);
  });

  it('falls back to instance number without geometry, and for time series at one position', () => {
    const noGeom = [ct('b', 2, 0), ct('a', 1, 0)].map((d) => {
      delete d['00200032'];
      return instanceFromMetadata(d);
    });
    expect(buildDisplaySet(series, noGeom).frames.map((f) => f.sopInstanceUID)).toEqual(['a', 'b']);
    const samePlace = [ct('b', 2, 5), ct('a', 1, 5)].map(instanceFromMetadata);
    const set = buildDisplaySet(series, samePlace);
    expect(set.frames.map((f) => f.sopInstanceUID)).toEqual(['a', 'b']);
    expect(set.notes[0]!.kind).toBe('sorted-by-instance-number');
  });

  it('expands multi-frame instances into one image per frame, in frame order', () => {
    const mf = instanceFromMetadata({ ...ct('mf', 1, 0), '00280008': { vr: 'IS', Value: [30] } });
    const set = buildDisplaySet(series, [mf]);
    expect(set.frames).toHaveLength(30);
    expect(set.frames.map((f) => f.frameNumber).slice(0, 3)).toEqual([1, 2, 3]);
  });

  it('skips non-image objects mixed into a series and says so', () => {
    const sr = instanceFromMetadata({ '00080018': { vr: 'UI', Value: ['sr'] }, '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.88.22'] } });
    const set = buildDisplaySet(series, [sr, instanceFromMetadata(ct('img', 1, 0))]);
    expect(set.frames.map((f) => f.sopInstanceUID)).toEqual(['img']);
    expect(set.notes[0]!.message).toContain('1 non-image object');
    // A series of reports alone is the report viewer's: no frames, its objects, no note.
    const reports = buildDisplaySet(series, [sr]);
    expect([reports.kind, reports.frames.length, reports.objects.map((o) => o.sopInstanceUID), reports.notes]).toEqual(['sr', 0, ['sr'], []]);
    const state = instanceFromMetadata({ '00080018': { vr: 'UI', Value: ['pr'] }, '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.11.1'] } });
    expect(buildDisplaySet(series, [state]).notes.map((n) => n.kind)).toEqual(['no-images']);
  });

  it('orders series by number then description', () => {
    const s = (n: number | undefined, d: string) => ({ ...series, seriesNumber: n, description: d });
    expect(sortSeries([s(3, 'c'), s(undefined, 'a'), s(1, 'b')]).map((x) => x.description)).toEqual(['b', 'c', 'a']);
  });
});

describe('geometry', () => {
  it('gives slice normals and patient direction labels', () => {
    expect(sliceNormal([1, 0, 0, 0, 1, 0])).toEqual([0, 0, 1]);
    expect(orientationLabel([1, 0, 0])).toBe('L');
    expect(orientationLabel([0, -1, 0])).toBe('A');
    expect(orientationLabel([0.7, 0, -0.7])).toMatch(/^(LF|FL)$/);
    // Axial image, no rotation: screen right = +x (patient left), screen down = +y (posterior).
    expect(edgeLabels([1, 0, 0], [0, 1, 0])).toEqual({ right: 'L', left: 'R', bottom: 'P', top: 'A' });
    // Coronal: right = +x, down = -z (feet).
    expect(edgeLabels([1, 0, 0], [0, 0, -1])).toEqual({ right: 'L', left: 'R', bottom: 'F', top: 'H' });
  });

  it('places a reformatted plane along its main patient axis, whichever way the screen faces', () => {
    const p: [number, number, number] = [10, -20, 35];
    // Axial (right L, down P), coronal (right L, down F), sagittal (right P, down F): z, y and x of the point.
    expect(planePosition({ right: [0.5, 0, 0], down: [0, 0.5, 0] }, p)).toBeCloseTo(35);
    expect(planePosition({ right: [1, 0, 0], down: [0, 0, -1] }, p)).toBeCloseTo(-20);
    expect(planePosition({ right: [0, 1, 0], down: [0, 0, -1] }, p)).toBeCloseTo(10);
    // Flipped screen: the same position.
    expect(planePosition({ right: [-1, 0, 0], down: [0, 1, 0] }, p)).toBeCloseTo(35);
    // Oblique, 30° about x from axial: along its own normal (0, −sin, cos).
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    expect(planePosition({ right: [1, 0, 0], down: [0, c, s] }, p)).toBeCloseTo(20 * s + 35 * c, 5);
  });
});

describe('format', () => {
  it('formats DICOM dates, times and person names', () => {
    expect(formatDate('20240131')).toBe('2024-01-31');
    expect(formatDate('garbage')).toBe('garbage');
    expect(formatTime('134501.123')).toBe('13:45');
    expect(formatPersonName('DOE^JANE^Q^DR')).toBe('DOE, DR JANE Q');
    expect(formatPersonName('DOE')).toBe('DOE');
    expect(formatPersonName('Yamada^Tarou=山田^太郎')).toBe('Yamada, Tarou (山田 太郎)');
    expect(formatPersonName('Yamada^Tarou=山田^太郎=やまだ^たろう')).toBe('Yamada, Tarou (山田 太郎, やまだ たろう)');
    expect(formatPersonName('=김^희중')).toBe('김 희중');
    expect(formatPersonName('Wang^XiaoDong=^=')).toBe('Wang, XiaoDong');
    expect(formatPersonName('قباني^لنزار')).toBe('قباني، لنزار');
    expect(toDicomDate('2024-01-31')).toBe('20240131');
  });

  it('writes dates and times in a locale: Gregorian, month by name, the digit shapes asked for', () => {
    expect(formatDate('20240131', 'fr-u-ca-gregory-nu-latn')).toBe('31 janv. 2024');
    expect(formatDate('20240131', 'ar-u-ca-gregory-nu-latn')).toBe('31 يناير 2024');
    expect(formatDate('20240131', 'ar-u-ca-gregory-nu-arab')).toBe('٣١ يناير ٢٠٢٤');
    // Not a day: as written, not rolled into March.
    expect(formatDate('20230231', 'fr-u-ca-gregory-nu-latn')).toBe('2023-02-31');
    expect(formatDate('garbage', 'fr')).toBe('garbage');
    expect(formatTime('134501', 'ar-u-ca-gregory-nu-arab')).toBe('١٣:٤٥');
    expect(formatTime('134501', 'ar-u-ca-gregory-nu-latn')).toBe('13:45');
  });
});
