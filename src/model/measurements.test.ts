import { describe, expect, it } from 'vitest';
import { calibrationNote, extentNote, extentOnImage, formatValue, measurementsToCsv, planeOfNormal, planeOfPoints, summarize, valuesFromStats, type Measurement } from './measurements';
import { newUid } from './uid';

const m = (over: Partial<Measurement>): Measurement => ({
  uid: 'u1',
  kind: 'Length',
  label: '',
  studyInstanceUID: '1.2',
  seriesInstanceUID: '1.2.3',
  sopInstanceUID: '1.2.3.4',
  frameNumber: 1,
  values: [],
  ...over,
});

describe('measurement values', () => {
  it('reads each tool’s statistics with their units, in reading order', () => {
    expect(valuesFromStats('Length', { length: 12.345, unit: 'mm' })).toEqual([{ name: 'length', value: 12.345, unit: 'mm' }]);
    expect(valuesFromStats('Bidirectional', { length: 20, width: 10, unit: 'mm' }).map((v) => v.name)).toEqual(['length', 'width']);
    expect(valuesFromStats('Angle', { angle: 59.96 })).toEqual([{ name: 'angle', value: 59.96, unit: '°' }]);
    expect(valuesFromStats('Angle', { angle: 'Incomplete Angle' })).toEqual([]);
    const roi = valuesFromStats('EllipticalROI', { mean: 40.2, stdDev: 8.1, min: 10, max: 70, area: 123.4, areaUnit: 'mm²', modalityUnit: 'HU' });
    expect(roi.map((v) => `${v.name}:${v.unit}`)).toEqual(['mean:HU', 'stdDev:HU', 'min:HU', 'max:HU', 'area:mm²']);
    expect(valuesFromStats('Probe', { value: [55], modalityUnit: 'HU' })).toEqual([{ name: 'value', value: 55, unit: 'HU' }]);
    expect(valuesFromStats('Length', { length: null })).toEqual([]);
    expect(valuesFromStats('ArrowAnnotate', {})).toEqual([]);
  });

  it('formats for reading', () => {
    expect(formatValue({ name: 'length', value: 12.345, unit: 'mm' })).toBe('12.3 mm');
    expect(formatValue({ name: 'angle', value: 60, unit: '°' })).toBe('60.0°');
    expect(formatValue({ name: 'area', value: 12345.6, unit: 'mm²' })).toBe('12346 mm²');
    expect(summarize(m({ kind: 'Bidirectional', values: [{ name: 'length', value: 20, unit: 'mm' }, { name: 'width', value: 10, unit: 'mm' }] }))).toBe(
      '20.0 mm × 10.0 mm',
    );
    expect(summarize(m({ kind: 'CircleROI', values: [{ name: 'mean', value: 40, unit: 'HU' }, { name: 'area', value: 5, unit: 'mm²' }] }))).toBe(
      'Mean 40.0 HU, Area 5.0 mm²',
    );
  });

  it("formats in a reader's language: its digits, decimal mark, units and names", () => {
    const nf = new Intl.NumberFormat('ar-u-nu-arab', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const words = {
      number: (n: number, digits: number) => new Intl.NumberFormat('ar-u-nu-arab', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n),
      unit: (u: string) => ({ mm: 'مم', 'mm²': 'مم²' })[u] ?? u,
      name: (n: string) => ({ mean: 'المتوسط', area: 'المساحة' })[n] ?? n,
      separator: '، ',
    };
    expect(formatValue({ name: 'length', value: 12.345, unit: 'mm' }, words)).toBe(`${nf.format(12.3)} مم`);
    expect(summarize(m({ kind: 'CircleROI', values: [{ name: 'mean', value: 40, unit: 'HU' }, { name: 'area', value: 5, unit: 'mm²' }] }), words)).toBe(
      'المتوسط ٤٠٫٠ HU، المساحة ٥٫٠ مم²',
    );
  });
});

describe('calibrationNote', () => {
  it('is silent with PixelSpacing, also in enhanced multi-frame pixel measures', () => {
    expect(calibrationNote({ '00280030': { vr: 'DS', Value: [0.7, 0.7] } })).toBeUndefined();
    const shared = { '52009229': { vr: 'SQ', Value: [{ '00289110': { vr: 'SQ', Value: [{ '00280030': { vr: 'DS', Value: [0.5, 0.5] } }] } }] } };
    expect(calibrationNote(shared)).toBeUndefined();
  });
  it('says when only the detector spacing is known, or nothing is', () => {
    expect(calibrationNote({ '00181164': { vr: 'DS', Value: [0.15, 0.15] } })).toMatch(/Imager Pixel Spacing/);
    expect(calibrationNote({})).toMatch(/in pixels/);
  });
});

describe('extentOnImage and extentNote', () => {
  it('tells an outline wholly on, partly on and wholly off a 512 × 400 image', () => {
    expect(extentOnImage([[10, 10], [100, 80]], 512, 400)).toBe('inside');
    // Handles on the very edge are on the image.
    expect(extentOnImage([[0, 0], [512, 400]], 512, 400)).toBe('inside');
    expect(extentOnImage([[-30, 10], [40, 60]], 512, 400)).toBe('partly');
    expect(extentOnImage([[480, 380], [560, 420]], 512, 400)).toBe('partly');
    expect(extentOnImage([[-90, 10], [-20, 60]], 512, 400)).toBe('outside');
    expect(extentOnImage([[10, 401], [60, 450]], 512, 400)).toBe('outside');
    expect(extentOnImage([], 512, 400)).toBe('inside');
  });

  it('says what the values are over', () => {
    expect(extentNote('inside', true)).toBeUndefined();
    expect(extentNote('partly', true)).toMatch(/^Partly outside the image: statistics over the part on it/);
    expect(extentNote('partly', false)).toBe('Outside the image: no pixel values');
    expect(extentNote('outside', false)).toBe('Outside the image: no pixel values');
  });
});

describe('measurementsToCsv', () => {
  it('writes one row per value, escapes text and defuses spreadsheet formulas', () => {
    const csv = measurementsToCsv(
      [
        m({ label: 'lesion, "A"', values: [{ name: 'length', value: 12.34567, unit: 'mm' }] }),
        m({ uid: 'u2', kind: 'EllipticalROI', label: '=HYPERLINK("x")', values: [{ name: 'mean', value: 40, unit: 'HU' }, { name: 'area', value: 5, unit: 'mm²' }] }),
        m({ uid: 'u3', kind: 'ArrowAnnotate', label: 'see here', calibrationNote: 'Uncalibrated image' }),
      ],
      { series: () => ({ number: 3, description: 'Axial' }), imageNumber: () => 12 },
    );
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('Label,Tool,Series number,Series description,Image,Frame,SOP Instance UID,Quantity,Value,Unit,Note');
    expect(lines[1]).toBe('"lesion, ""A""",Length,3,Axial,12,1,1.2.3.4,Length,12.346,mm,');
    expect(lines[2]).toBe(`"'=HYPERLINK(""x"")",Ellipse ROI,3,Axial,12,1,1.2.3.4,Mean,40,HU,`);
    expect(lines[3]).toContain(',Area,5,mm²,');
    expect(lines[4]).toBe('see here,Arrow,3,Axial,12,1,1.2.3.4,,,,Uncalibrated image');
    expect(lines).toHaveLength(5);
  });

  it('names the MPR plane of a measurement that is on no image', () => {
    const csv = measurementsToCsv(
      [m({ label: 'lesion', sopInstanceUID: '', frameNumber: 0, reformatted: { plane: 'sagittal', point: [1, 2, 3] }, values: [{ name: 'length', value: 20, unit: 'mm' }] })],
      { series: () => ({ number: 3, description: 'Axial' }), imageNumber: () => undefined },
    );
    expect(csv.trim().split('\r\n')[1]).toBe('lesion,Length,3,Axial,sagittal MPR,,,Length,20,mm,');
  });
});

describe('planeOfNormal', () => {
  it('names the patient axis a view looks along, within 1°, else oblique', () => {
    expect(planeOfNormal([1, 0, 0])).toBe('sagittal');
    expect(planeOfNormal([0, -1, 0])).toBe('coronal');
    expect(planeOfNormal([0, 0, 1])).toBe('axial');
    expect(planeOfNormal([0, Math.sin(0.01), Math.cos(0.01)])).toBe('axial');
    expect(planeOfNormal([0, Math.sin(0.05), Math.cos(0.05)])).toBe('oblique');
    expect(planeOfNormal(undefined)).toBe('oblique');
  });

  it('tells the plane of points from the one axis they keep', () => {
    expect(planeOfPoints([[5, -10, 0], [5, 10, 15]])).toBe('sagittal');
    expect(planeOfPoints([[1, 7, 0], [5, 7, 15], [2, 7, 3]])).toBe('coronal');
    expect(planeOfPoints([[5, 0, 0], [5, 0, 15]])).toBeUndefined();
    expect(planeOfPoints([[1, 2, 3]])).toBeUndefined();
  });
});

describe('newUid', () => {
  it('is a valid DICOM UID under 2.25, different every time', () => {
    const a = newUid();
    expect(a).toMatch(/^2\.25\.[1-9][0-9]*$/);
    expect(a.length).toBeLessThanOrEqual(64);
    expect(newUid()).not.toBe(a);
    expect(newUid((b) => b.fill(0))).toBe(`2.25.${((0x40n << 72n) | (0x80n << 56n)).toString()}`);
  });
});
