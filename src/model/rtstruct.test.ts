import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DicomJson } from '../dicom/json';
import { rtStructInfo } from './rtstruct';

// pydicom's rtstruct.dcm: real vendor data (a structure set without a Part 10 header), read with pydicom into DICOM
// JSON. Its images are not in pydicom's test files: it is the "references missing" case.
const RTSTRUCT = '/usr/lib/python3/dist-packages/pydicom/data/test_files/rtstruct.dcm';
const hasPydicom = fs.existsSync(RTSTRUCT);

describe('RTSTRUCT metadata', () => {
  it.skipIf(!hasPydicom)("reads pydicom's structure set: ROIs with names and colours, closed contours and points, the referenced series", () => {
    const json = execFileSync('/usr/bin/python3', ['-c', `import pydicom,sys; sys.stdout.write(pydicom.dcmread(${JSON.stringify(RTSTRUCT)}, force=True).to_json())`], { encoding: 'utf8' });
    const info = rtStructInfo(JSON.parse(json) as DicomJson);
    expect(info.referencedSeriesUID).toBe('1.2.826.0.1.3680043.8.498.2010020400001.2.1.1');
    expect(info.frameOfReferenceUID).toBe('1.2.826.0.1.3680043.8.498.2010020400001.2');
    expect(info.rois.map((r) => [r.number, r.label, r.color])).toEqual([
      [1, 'patient', [220, 160, 120]],
      [2, 'Isocenter 1', [255, 64, 255]],
      [3, 'Isocenter 2', [255, 64, 255]],
    ]);
    const patient = info.rois[0]!;
    expect(patient.contours).toHaveLength(3);
    expect(patient.contours.map((c) => [c.type, c.points.length])).toEqual([
      ['CLOSED_PLANAR', 5],
      ['CLOSED_PLANAR', 6],
      ['CLOSED_PLANAR', 6],
    ]);
    // Each closed planar contour lies in one plane (one z for axial images).
    for (const c of patient.contours) expect(new Set(c.points.map((p) => p[2])).size).toBe(1);
    expect(info.rois[1]!.contours.map((c) => [c.type, c.points.length])).toEqual([['POINT', 1]]);
  });

  it('skips contours whose data is not whole points, and names ROIs without a name', () => {
    const info = rtStructInfo({
      '30060020': { vr: 'SQ', Value: [{ '30060022': { vr: 'IS', Value: [7] } }] },
      '30060039': {
        vr: 'SQ',
        Value: [
          {
            '30060084': { vr: 'IS', Value: [7] },
            '30060040': {
              vr: 'SQ',
              Value: [
                { '30060042': { vr: 'CS', Value: ['OPEN_PLANAR'] }, '30060050': { vr: 'DS', Value: [0, 0, 1, 5, 0, 1] } },
                { '30060042': { vr: 'CS', Value: ['CLOSED_PLANAR'] }, '30060050': { vr: 'DS', Value: [0, 0] } },
              ],
            },
          },
        ],
      },
    });
    expect(info.rois).toHaveLength(1);
    expect(info.rois[0]).toMatchObject({ number: 7, label: 'ROI 7', color: [255, 255, 0] });
    expect(info.rois[0]!.contours).toEqual([{ type: 'OPEN_PLANAR', points: [[0, 0, 1], [5, 0, 1]], imageSOPInstanceUIDs: [] }]);
    expect(info.referencedSeriesUID).toBeUndefined();
  });
});
