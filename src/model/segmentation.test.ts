import { describe, expect, it } from 'vitest';
import { dcmjs } from '../dicom/dcmjs';
import type { DicomJson } from '../dicom/json';
import { binarizeFractional, dicomLabToRgb, segInfo } from './segmentation';

const Colors = (dcmjs.data as unknown as { Colors: { rgb2DICOMLAB(rgb: number[]): number[] } }).Colors;
const str = (vr: string, v: string | number) => ({ vr, Value: [v] });

describe('SEG metadata', () => {
  it('turns DICOM CIELab into the sRGB colour it was made from (dcmjs converting the other way)', () => {
    for (const rgb of [[200, 80, 60], [250, 220, 40], [40, 200, 230], [255, 255, 255], [0, 0, 0], [128, 128, 128]]) {
      const lab = Colors.rgb2DICOMLAB(rgb.map((c) => c / 255)).map(Math.round) as [number, number, number];
      const back = dicomLabToRgb(lab);
      back.forEach((c, i) => expect(Math.abs(c - rgb[i]!)).toBeLessThanOrEqual(1));
    }
    // Pure CIELab white (L 100, a = b = 0) is white; black is black.
    expect(dicomLabToRgb([65535, 32896, 32896])).toEqual([255, 255, 255]);
    expect(dicomLabToRgb([0, 32896, 32896])).toEqual([0, 0, 0]);
  });

  it('lists segments with label, algorithm and colour, and the referenced series', () => {
    const ds: DicomJson = {
      '00620001': str('CS', 'BINARY'),
      '00620002': {
        vr: 'SQ',
        Value: [
          { '00620004': str('US', 1), '00620005': str('LO', 'Liver'), '00620009': str('LO', 'Net A'), '0062000D': { vr: 'US', Value: [32707, 44879, 42151] } },
          { '00620004': str('US', 2), '00620008': str('CS', 'MANUAL') },
        ],
      },
      '00081115': { vr: 'SQ', Value: [{ '0020000E': str('UI', '1.2.3.4') }] },
    };
    const info = segInfo(ds);
    expect(info.referencedSeriesUID).toBe('1.2.3.4');
    expect(info.fractional).toBe(false);
    expect(info.segments[0]).toEqual({ number: 1, label: 'Liver', algorithm: 'Net A', color: [200, 80, 60] });
    // No label, no name, no colour: a numbered label, the algorithm type, a default colour.
    expect(info.segments[1]).toMatchObject({ number: 2, label: 'Segment 2', algorithm: 'MANUAL' });
    expect(info.segments[1]!.color).toHaveLength(3);
  });

  it('says when the referenced series is not given, and reads a fractional SEG\'s maximum', () => {
    const info = segInfo({ '00620001': str('CS', 'FRACTIONAL'), '0062000E': str('US', 100) });
    expect(info).toMatchObject({ referencedSeriesUID: undefined, fractional: true, maxFractional: 100, segments: [] });
  });

  it('thresholds fractions at one half', () => {
    expect([...binarizeFractional(new Uint8Array([0, 127, 128, 200, 255]), 255)]).toEqual([0, 0, 255, 255, 255]);
    expect([...binarizeFractional(new Uint16Array([49, 50, 100]), 100)]).toEqual([0, 100, 100]);
  });
});
