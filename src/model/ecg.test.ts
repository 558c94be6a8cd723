import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dcmjs } from '../dicom/dcmjs';
import type { DicomJson } from '../dicom/json';
import { annotationMarks, caliper, detectRPeaks, heartRate, layoutPaper, niceCeil, rateLead, rowAt, rowScale, timeToMm, valueToMm } from './ecg';
import { parseWaveform, type MultiplexGroup, type WaveformAnnotation, type WaveformChannel } from './waveform';

const gauss = (t: number, at: number, width: number, height: number) => height * Math.exp(-(((t - at) / width) ** 2) / 2);

/** A sinus rhythm: P, Q, R (peak `r` mV), S, T around each beat, baseline wander and noise; R at `first` + k·rr. */
function synthetic(fs: number, seconds: number, rr: number, opts: { r?: number; first?: number; wander?: number; noise?: number } = {}) {
  const { r = 1, first = 0.3, wander = 0.15, noise = 0.02 } = opts;
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
  const out = new Float32Array(Math.round(fs * seconds));
  const beats: number[] = [];
  for (let at = first; at < seconds; at += rr) beats.push(at);
  for (let i = 0; i < out.length; i++) {
    const t = i / fs;
    let v = wander * Math.sin(2 * Math.PI * 0.3 * t) + noise * rand();
    for (const b of beats) {
      if (Math.abs(t - b) > 0.6) continue;
      v += gauss(t, b - 0.16, 0.02, 0.15) + gauss(t, b - 0.025, 0.008, -0.12 * r) + gauss(t, b, 0.01, r) + gauss(t, b + 0.03, 0.01, -0.3 * r) + gauss(t, b + 0.3, 0.045, 0.3);
    }
    out[i] = v;
  }
  return { values: out, beats: beats.map((b) => Math.round(b * fs)).filter((s) => s < out.length) };
}

const channel = (index: number, label: string, values: Float32Array, quantity: WaveformChannel['quantity'] = 'voltage', unit = 'mV'): WaveformChannel => {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) (min = Math.min(min, v)), (max = Math.max(max, v));
  return { index, label, quantity, unit, fileUnit: unit, sensitivity: 1, correction: 1, baseline: 0, skew: 0, values, min, max };
};

const LEADS = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];

function groupOf(channels: WaveformChannel[], fs: number): MultiplexGroup {
  const n = channels[0]!.values.length;
  return { index: 0, label: '', samplingFrequency: fs, numberOfSamples: n, timeOffset: 0, bitsAllocated: 16, sampleInterpretation: 'SS', channels, duration: n / fs };
}

describe('R peaks and heart rate', () => {
  it('finds every R peak of a 75 bpm rhythm with baseline wander and noise, within one sample', () => {
    const { values, beats } = synthetic(500, 10, 0.8);
    const peaks = detectRPeaks(values, 500);
    expect(peaks.length).toBe(beats.length);
    peaks.forEach((p, k) => expect(Math.abs(p - beats[k]!)).toBeLessThanOrEqual(1));
    const hr = heartRate(values, 500)!;
    expect(hr.bpm).toBeCloseTo(75, 1);
    expect(hr.rr).toBeCloseTo(0.8, 3);
  });

  it('finds negative complexes (aVR) and fast rates; none in a flat line', () => {
    const neg = synthetic(1000, 6, 0.5, { r: -1.2 });
    expect(heartRate(neg.values, 1000)!.bpm).toBeCloseTo(120, 0);
    expect(detectRPeaks(new Float32Array(5000), 500)).toEqual([]);
    expect(heartRate(new Float32Array(5000), 500)).toBeUndefined();
  });

  it('measures the heart rate on lead II, else the first voltage channel', () => {
    const v = new Float32Array(10);
    expect(rateLead(groupOf([channel(0, 'I', v), channel(1, 'II', v)], 500))!.label).toBe('II');
    expect(rateLead(groupOf([channel(0, 'ART', v, 'pressure', 'mmHg'), channel(1, 'V1', v)], 500))!.label).toBe('V1');
  });
});

describe('paper layout', () => {
  const fs = 500;
  const twelve = groupOf(LEADS.map((l, i) => channel(i, l, synthetic(fs, 10, 0.8).values)), fs);

  it('puts the 12 leads in 3×4 columns of 2.5 s and a 10 s lead II rhythm strip', () => {
    const p = layoutPaper(twelve, 'standard', 25, 10);
    expect(p.layout).toBe('standard');
    expect(p.rows.map((r) => r.segments.map((s) => s.label))).toEqual([
      ['I', 'aVR', 'V1', 'V4'],
      ['II', 'aVL', 'V2', 'V5'],
      ['III', 'aVF', 'V3', 'V6'],
      ['II'],
    ]);
    expect(p.rows[0]!.segments.map((s) => [s.start, s.duration, s.xMm])).toEqual([
      [0, 2.5, 0],
      [2.5, 2.5, 62.5],
      [5, 2.5, 125],
      [7.5, 2.5, 187.5],
    ]);
    expect(p.rows[3]!.segments[0]).toMatchObject({ start: 0, duration: 10, xMm: 0 });
    // 10 s at 25 mm/s = 250 mm after a 10 mm calibration area; rows of 3 mV at 10 mm/mV.
    expect(p.calibrationMm).toBe(10);
    expect(p.widthMm).toBe(260);
    expect(p.rows.map((r) => [r.topMm, r.heightMm, r.baselineMm])).toEqual([
      [0, 30, 18],
      [30, 30, 18],
      [60, 30, 18],
      [90, 30, 18],
    ]);
    // Time and value → paper: V4 at 8 s is 10 + 187.5 + 0.5 × 25 mm from the left; 1 mV is 10 mm above the baseline.
    const v4 = p.rows[0]!.segments[3]!;
    expect(timeToMm(p, v4, 8)).toBe(210);
    expect(valueToMm(p.rows[1]!, 1)).toBe(30 + 18 - 10);
    expect(rowAt(p, 95)).toBe(p.rows[3]);
  });

  it('speed and gain scale the paper; one lead per row when asked or when leads are missing', () => {
    const fast = layoutPaper(twelve, 'standard', 50, 20);
    expect(fast.calibrationMm).toBe(15);
    expect(fast.widthMm).toBe(15 + 500);
    expect(fast.rows[0]!.heightMm).toBe(60);
    expect(fast.rows[0]!.scale.mmPerUnit).toBe(20);
    const rows = layoutPaper(twelve, 'rows', 25, 10);
    expect(rows.layout).toBe('rows');
    expect(rows.rows.map((r) => r.segments[0]!.label)).toEqual(LEADS);
    const paged = layoutPaper(twelve, 'rows', 25, 10, { start: 8, seconds: 5 });
    expect(paged.rows[0]!.segments[0]).toMatchObject({ start: 8, duration: 2, xMm: 0 });
    expect(paged.widthMm).toBe(10 + 50);
    const median = groupOf(twelve.channels.map((c) => ({ ...c, values: c.values.subarray(0, 600) })), fs);
    expect(layoutPaper(median, 'standard', 25, 10).layout).toBe('rows');
    const three = groupOf(twelve.channels.slice(0, 3), fs);
    expect(layoutPaper(three, 'standard', 25, 10).layout).toBe('rows');
  });

  it('draws pressures in mmHg on a round scale from 0 that fits the row; other units from their minimum', () => {
    const art = new Float32Array(1000).map((_, i) => 80 + 40 * Math.max(0, Math.sin((2 * Math.PI * i) / 500)));
    const s = rowScale(channel(0, 'ART', art, 'pressure', 'mmHg'), 10, 30);
    // 0…120 mmHg in 24 mm (80% of the row) → 25 mmHg per 5 mm square; 120 mmHg is 24 mm above the baseline.
    expect({ unit: s.unit, zero: s.zero, perSquare: 5 / s.mmPerUnit, bar: s.bar }).toEqual({ unit: 'mmHg', zero: 0, perSquare: 25, bar: 100 });
    expect(120 * s.mmPerUnit).toBe(24);
    const flow = new Float32Array(1000).map((_, i) => 500 * Math.sin((2 * Math.PI * i) / 1000));
    const f = rowScale(channel(0, 'FLOW', flow, 'other', 'mL/s'), 10, 30);
    expect({ unit: f.unit, zero: f.zero, perSquare: 5 / f.mmPerUnit, bar: f.bar }).toEqual({ unit: 'mL/s', zero: -500, perSquare: 250, bar: 500 });
    const rows = layoutPaper(groupOf([channel(0, 'ART', art, 'pressure', 'mmHg')], 500), 'rows', 25, 10).rows;
    // The whole trace stays inside its row.
    expect(valueToMm(rows[0]!, 120)).toBeGreaterThanOrEqual(rows[0]!.topMm);
    expect(valueToMm(rows[0]!, 0)).toBeLessThanOrEqual(rows[0]!.topMm + rows[0]!.heightMm);
    expect([niceCeil(0.7), niceCeil(2.2), niceCeil(3), niceCeil(7), niceCeil(40)]).toEqual([1, 2.5, 5, 10, 50]);
  });

  it('calipers: interval in ms, amplitude in the row unit, rate from the interval', () => {
    const p = layoutPaper(twelve, 'standard', 25, 10);
    // 20 mm at 25 mm/s = 800 ms; 10 mm up at 10 mm/mV = 1 mV.
    expect(caliper(p, 20, 50, 40, 40)).toEqual({ ms: 800, amplitude: 1, unit: 'mV', bpm: 75 });
    expect(caliper(p, 40, 50, 41, 50).bpm).toBeUndefined();
    expect(caliper(p, 0, 500, 10, 500).amplitude).toBeUndefined();
  });
});

describe('annotation marks', () => {
  const a = (channels: { group: number; channel: number }[], samplePositions: number[], timeOffsets: number[] = []): WaveformAnnotation => ({ channels, samplePositions, timeOffsets });
  it('puts sample positions (1-based) and time offsets on the referenced group and channels', () => {
    const list = [a([{ group: 1, channel: 2 }], [201]), a([{ group: 2, channel: 0 }], [11], [0.5]), a([], [1001]), a([{ group: 1, channel: 0 }], [])];
    expect(annotationMarks(list, 0, 500)).toEqual([
      { t: 0.4, channels: new Set([1]) },
      { t: 2, channels: undefined },
    ]);
    expect(annotationMarks(list, 1, 1000)).toEqual([
      { t: 0.01, channels: undefined },
      { t: 0.5, channels: undefined },
    ]);
  });
});

const PYDICOM_ECG = '/usr/lib/python3/dist-packages/pydicom/data/test_files/waveform_ecg.dcm';

describe.skipIf(!existsSync(PYDICOM_ECG))("pydicom's waveform_ecg.dcm", () => {
  it('heart rate from lead II agrees with the file\'s RR interval annotation (982 ms)', () => {
    const buf = readFileSync(PYDICOM_ECG);
    const { dict } = dcmjs.data.DicomMessage.readFile(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
    const rhythm = parseWaveform(dict as DicomJson).groups[0]!;
    const lead = rateLead(rhythm)!;
    expect(lead.label).toBe('II');
    const hr = heartRate(lead.values, rhythm.samplingFrequency)!;
    expect(Math.abs(hr.rr * 1000 - 982)).toBeLessThan(20);
  });
});
