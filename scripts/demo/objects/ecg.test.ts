import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dcmjs } from '../../import/dcmjs.ts';
import type { DicomJson } from '../../../src/dicom/json.ts';
import { parseWaveform } from '../../../src/model/waveform.ts';
import { detectRPeaks, heartRate, rateLead } from '../../../src/model/ecg.ts';
import { uidFromSeed } from '../part10.ts';
import { ECG_DEMO, ECG_SOP_CLASS, HEMODYNAMIC_SOP_CLASS, writeEcgDemo } from './ecg.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lumen-ecg-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the demo ECG', () => {
  const [file, hemo] = writeEcgDemo(tmp, (name) => uidFromSeed(`test/${name}`));
  const b = fs.readFileSync(file!.path);
  const { meta, dict } = dcmjs.data.DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  const waveform = parseWaveform(dict as DicomJson);
  const group = waveform.groups[0]!;

  it('is a 12-lead ECG of 10 s at 500 Hz with the standard leads', () => {
    expect(meta['00020002']?.Value?.[0]).toBe(ECG_SOP_CLASS);
    expect(dict['00080060']?.Value?.[0]).toBe('ECG');
    expect([group.samplingFrequency, group.numberOfSamples]).toEqual([500, 5000]);
    expect(group.channels.map((c) => c.label)).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(group.channels.every((c) => c.unit === 'mV' && c.fileUnit === 'uV')).toBe(true);
  });

  it('beats at 75 bpm with lead II R waves of 1.0 mV at 0.4 s + k × 0.8 s', () => {
    const ii = rateLead(group)!;
    expect(ii.label).toBe('II');
    const peaks = detectRPeaks(ii.values, 500);
    expect(peaks).toEqual(Array.from({ length: 12 }, (_, k) => Math.round((ECG_DEMO.firstR + k * ECG_DEMO.rrSeconds) * 500)));
    for (const p of peaks) expect(ii.values[p]).toBeCloseTo(1.0, 1);
    expect(heartRate(ii.values, 500)!.bpm).toBeCloseTo(75, 6);
  });

  it('keeps Einthoven: III = II − I, aVR + aVL + aVF = 0 (within a stored unit)', () => {
    const [I, II, III, aVR, aVL, aVF] = group.channels.map((c) => c.values);
    for (let i = 0; i < 5000; i += 37) {
      expect(Math.abs(III![i]! - (II![i]! - I![i]!))).toBeLessThan(0.004);
      expect(Math.abs(aVR![i]! + aVL![i]! + aVF![i]!)).toBeLessThan(0.004);
    }
  });

  it('carries a statement, the R-R interval and the first R peak as annotations', () => {
    const [text, rr, peak] = waveform.annotations;
    expect(text!.text).toMatch(/75 bpm/);
    expect(rr).toMatchObject({ name: { meaning: 'RR Interval' }, numeric: 800, units: { value: 'ms' } });
    expect(peak).toMatchObject({ temporalRangeType: 'POINT', samplePositions: [201], channels: [{ group: 1, channel: 2 }] });
  });

  it('has a hemodynamic series beside it: lead II in mV, arterial pressure 80–120 mmHg, airflow ±500 mL/s', () => {
    const h = fs.readFileSync(hemo!.path);
    const { dict: d } = dcmjs.data.DicomMessage.readFile(h.buffer.slice(h.byteOffset, h.byteOffset + h.byteLength) as ArrayBuffer);
    expect(hemo!.sopClassUID).toBe(HEMODYNAMIC_SOP_CLASS);
    expect(hemo!.studyInstanceUID).toBe(file!.studyInstanceUID);
    const [ii, art, flow] = parseWaveform(d as DicomJson).groups[0]!.channels;
    expect([ii!.label, ii!.quantity, ii!.unit]).toEqual(['II', 'voltage', 'mV']);
    expect([art!.label, art!.quantity, art!.unit]).toEqual(['ART', 'pressure', 'mmHg']);
    expect([art!.min, art!.max].map(Math.round)).toEqual([80, 120]);
    expect([flow!.label, flow!.quantity, flow!.unit]).toEqual(['FLOW', 'other', 'mL/s']);
    expect([flow!.min, flow!.max].map(Math.round)).toEqual([-500, 500]);
    expect(heartRate(ii!.values, 500)!.bpm).toBeCloseTo(75, 6);
  });
});
