import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dcmjs } from '../dicom/dcmjs';
import type { DicomJson } from '../dicom/json';
import { aLaw, leadFromCode, muLaw, parseWaveform, unitOf, WaveformError } from './waveform';

const code = (value: string, scheme: string, meaning: string): DicomJson => ({
  '00080100': { vr: 'SH', Value: [value] },
  '00080102': { vr: 'SH', Value: [scheme] },
  '00080104': { vr: 'LO', Value: [meaning] },
});

interface ChannelSpec {
  source?: DicomJson;
  units?: string;
  sensitivity?: number;
  correction?: number;
  baseline?: number;
  label?: string;
}

/** A Waveform Sequence item with interleaved samples (`samples[s][c]`), as dcmjs reads it. */
function group(channels: ChannelSpec[], samples: number[][], opts: { fs?: number; interp?: string; bits?: number; data?: ArrayBuffer; padding?: number } = {}): DicomJson {
  const bits = opts.bits ?? 16;
  const interp = opts.interp ?? 'SS';
  const bytes = new ArrayBuffer(samples.length * channels.length * (bits / 8));
  const view = new DataView(bytes);
  samples.forEach((row, s) =>
    row.forEach((x, c) => {
      const at = (s * channels.length + c) * (bits / 8);
      if (bits === 8) view.setUint8(at, x & 0xff);
      else if (bits === 16) view.setInt16(at, x, true);
      else view.setInt32(at, x, true);
    }),
  );
  const defs: DicomJson[] = channels.map((ch) => ({
    ...(ch.source ? { '003A0208': { vr: 'SQ', Value: [ch.source] } } : {}),
    ...(ch.label ? { '003A0203': { vr: 'SH', Value: [ch.label] } } : {}),
    ...(ch.sensitivity !== undefined ? { '003A0210': { vr: 'DS', Value: [ch.sensitivity] } } : {}),
    ...(ch.units ? { '003A0211': { vr: 'SQ', Value: [code(ch.units, 'UCUM', ch.units)] } } : {}),
    ...(ch.correction !== undefined ? { '003A0212': { vr: 'DS', Value: [ch.correction] } } : {}),
    ...(ch.baseline !== undefined ? { '003A0213': { vr: 'DS', Value: [ch.baseline] } } : {}),
  }));
  const padding = new ArrayBuffer(2);
  if (opts.padding !== undefined) new DataView(padding).setInt16(0, opts.padding, true);
  return {
    '003A0005': { vr: 'US', Value: [channels.length] },
    '003A0010': { vr: 'UL', Value: [samples.length] },
    '003A001A': { vr: 'DS', Value: [opts.fs ?? 500] },
    '003A0020': { vr: 'SH', Value: ['RHYTHM'] },
    '003A0200': { vr: 'SQ', Value: defs },
    '54001004': { vr: 'US', Value: [bits] },
    '54001006': { vr: 'CS', Value: [interp] },
    ...(opts.padding !== undefined ? { '5400100A': { vr: 'OW', Value: [padding] } } : {}),
    '54001010': { vr: bits === 8 ? 'OB' : 'OW', Value: [opts.data ?? bytes] },
  };
}

const wave = (...groups: DicomJson[]): DicomJson => ({ '54000100': { vr: 'SQ', Value: groups } });

describe('parseWaveform', () => {
  it('de-interleaves channels and applies sensitivity, correction factor and baseline, in mV', () => {
    const w = parseWaveform(
      wave(
        group(
          [
            { source: code('5.6.3-9-1', 'SCPECG', 'Lead I (Einthoven)'), units: 'uV', sensitivity: 2.5, correction: 1 },
            { source: code('2:62', 'MDC', 'MDC_ECG_LEAD_AVR'), units: 'mV', sensitivity: 0.005, correction: 2, baseline: 0.1 },
          ],
          [
            [400, -100],
            [-200, 50],
            [0, 0],
          ],
          { fs: 250 },
        ),
      ),
    );
    const g = w.groups[0]!;
    expect(g.samplingFrequency).toBe(250);
    expect(g.numberOfSamples).toBe(3);
    expect(g.duration).toBeCloseTo(0.012);
    expect(g.label).toBe('RHYTHM');
    const [i, avr] = g.channels;
    expect(i!.label).toBe('I');
    expect(i!.quantity).toBe('voltage');
    expect(i!.unit).toBe('mV');
    expect(i!.fileUnit).toBe('uV');
    expect(Array.from(i!.values)).toEqual([1, -0.5, 0]); // 400 × 2.5 µV = 1 mV
    expect(avr!.label).toBe('aVR');
    // (−100 × 0.005 × 2) + 0.1 = −0.9 mV: the baseline is in the channel's units, added after scaling.
    expect(Array.from(avr!.values).map((x) => +x.toFixed(6))).toEqual([-0.9, 0.6, 0.1]);
    expect([avr!.min, avr!.max].map((x) => +x.toFixed(6))).toEqual([-0.9, 0.6]);
  });

  it('reads 8-bit, 32-bit and µ-law samples, pressures in mmHg and other units as they are', () => {
    const ub = parseWaveform(wave(group([{ units: 'mm[Hg]', sensitivity: 1 }], [[120], [80]], { interp: 'UB', bits: 8 }))).groups[0]!;
    expect(ub.channels[0]!.quantity).toBe('pressure');
    expect(Array.from(ub.channels[0]!.values)).toEqual([120, 80]);
    const kpa = parseWaveform(wave(group([{ units: 'kPa', sensitivity: 0.1 }], [[160]], {}))).groups[0]!;
    expect(kpa.channels[0]!.unit).toBe('mmHg');
    expect(kpa.channels[0]!.values[0]).toBeCloseTo(120.01, 1); // 16 kPa
    const sl = parseWaveform(wave(group([{ units: 'L/s', sensitivity: 0.001 }], [[-70000]], { interp: 'SL', bits: 32 }))).groups[0]!;
    expect(sl.channels[0]!.quantity).toBe('other');
    expect(sl.channels[0]!.unit).toBe('L/s');
    expect(sl.channels[0]!.values[0]).toBeCloseTo(-70);
    const mb = parseWaveform(wave(group([{}], [[0xff], [0x00]], { interp: 'MB', bits: 8 }))).groups[0]!;
    expect(Array.from(mb.channels[0]!.values)).toEqual([0, -32124]);
  });

  it('marks padding samples as gaps', () => {
    const g = parseWaveform(wave(group([{ units: 'uV', sensitivity: 1000 }], [[1], [-32768], [2]], { padding: -32768 }))).groups[0]!;
    const v = Array.from(g.channels[0]!.values);
    expect(v[0]).toBe(1);
    expect(Number.isNaN(v[1])).toBe(true);
    expect(v[2]).toBe(2);
    expect([g.channels[0]!.min, g.channels[0]!.max]).toEqual([1, 2]);
  });

  it('fails with a reason: no waveform, short data, no data, odd sample interpretation, bad header', () => {
    const reason = (ds: DicomJson) => {
      try {
        parseWaveform(ds);
      } catch (e) {
        expect(e).toBeInstanceOf(WaveformError);
        return [(e as WaveformError).code, (e as WaveformError).params] as const;
      }
      throw new Error('parsed');
    };
    expect(reason({})[0]).toBe('no-waveform');
    const short = group([{}, {}], [[1, 2], [3, 4]], { data: new ArrayBuffer(6) });
    expect(reason(wave(short))).toEqual(['short-data', { group: 1, have: 6, need: 8 }]);
    expect(reason(wave(group([{}], [[1]], { data: new ArrayBuffer(0) })))[0]).toBe('no-data');
    expect(reason(wave(group([{}], [[1]], { interp: 'SS', bits: 8 })))).toEqual(['unsupported-interpretation', { group: 1, interpretation: 'SS', bits: 8 }]);
    const noFs = group([{}], [[1]]);
    delete noFs['003A001A'];
    expect(reason(wave(noFs))[0]).toBe('bad-frequency');
    const huge = group([{}], [[1]]);
    huge['003A0010'] = { vr: 'UL', Value: [4e9] };
    expect(reason(wave(huge))[0]).toBe('bad-samples');
  });

  it('reads annotations: text, codes, numeric values with units, referenced channels and samples', () => {
    const ds = wave(group([{}], [[1]]));
    ds['0040B020'] = {
      vr: 'SQ',
      Value: [
        { '00700006': { vr: 'ST', Value: ['SINUS RHYTHM'] }, '0040A0B0': { vr: 'US', Value: [1, 0] } },
        {
          '0040A043': { vr: 'SQ', Value: [code('5.10.2.1-3', 'SCPECG', 'RR Interval')] },
          '0040A30A': { vr: 'DS', Value: [800] },
          '004008EA': { vr: 'SQ', Value: [code('ms', 'UCUM', 'milliseconds')] },
          '0040A180': { vr: 'US', Value: [1] },
        },
        {
          '0040A043': { vr: 'SQ', Value: [code('5.10.3-1', 'SCPECG', 'P Onset')] },
          '0040A130': { vr: 'CS', Value: ['POINT'] },
          '0040A132': { vr: 'UL', Value: [299] },
          '0040A138': { vr: 'DS', Value: [250] },
        },
      ],
    };
    const [text, rr, onset] = parseWaveform(ds).annotations;
    expect(text).toMatchObject({ text: 'SINUS RHYTHM', channels: [{ group: 1, channel: 0 }] });
    expect(rr).toMatchObject({ name: { meaning: 'RR Interval' }, numeric: 800, units: { value: 'ms' }, groupNumber: 1 });
    expect(onset).toMatchObject({ temporalRangeType: 'POINT', samplePositions: [299], timeOffsets: [0.25] });
  });
});

describe('lead labels and units', () => {
  it('names leads from SCP-ECG and MDC codes, and from the code meaning', () => {
    expect(leadFromCode({ value: '5.6.3-9-61', scheme: 'SCPECG', meaning: '' })).toBe('III');
    expect(leadFromCode({ value: '5.6.3-9-8', scheme: 'SCPECG', meaning: '' })).toBe('V6');
    expect(leadFromCode({ value: '2:64', scheme: 'MDC', meaning: '' })).toBe('aVF');
    expect(leadFromCode({ value: String((2 << 16) + 63), scheme: 'MDC', meaning: '' })).toBe('aVL');
    expect(leadFromCode({ value: 'x', scheme: '99LOCAL', meaning: 'Lead V3' })).toBe('V3');
    expect(leadFromCode({ value: 'x', scheme: '99LOCAL', meaning: 'Lead I (Einthoven)' })).toBe('I');
    expect(leadFromCode({ value: 'x', scheme: '99LOCAL', meaning: 'Aortic pressure' })).toBeUndefined();
  });

  it('G.711 µ-law and A-law decode to the reference values', () => {
    expect([muLaw(0x00), muLaw(0x80), muLaw(0xff), muLaw(0x7f)]).toEqual([-32124, 32124, 0, 0]);
    expect([aLaw(0xd5), aLaw(0x55), aLaw(0xaa), aLaw(0x2a)]).toEqual([8, -8, 32256, -32256]);
  });

  it('voltages go to mV, pressures to mmHg', () => {
    expect(unitOf('uV')).toEqual({ quantity: 'voltage', unit: 'mV', factor: 1e-3 });
    expect(unitOf('V').factor).toBe(1000);
    expect(unitOf('mm[Hg]')).toEqual({ quantity: 'pressure', unit: 'mmHg', factor: 1 });
    expect(unitOf('cm[H2O]').factor).toBeCloseTo(0.7356, 4);
    expect(unitOf('%')).toEqual({ quantity: 'other', unit: '%', factor: 1 });
  });
});

// pydicom's 12-lead ECG (present where python3-pydicom is installed; CI installs it).
const PYDICOM_ECG = '/usr/lib/python3/dist-packages/pydicom/data/test_files/waveform_ecg.dcm';

describe.skipIf(!existsSync(PYDICOM_ECG))("pydicom's waveform_ecg.dcm", () => {
  it('has two multiplex groups of the 12 standard leads, values as pydicom reads them', () => {
    const buf = readFileSync(PYDICOM_ECG);
    const { dict } = dcmjs.data.DicomMessage.readFile(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
    const w = parseWaveform(dict as DicomJson);
    expect(w.groups.map((g) => [g.label, g.samplingFrequency, g.numberOfSamples, g.channels.length])).toEqual([
      ['RHYTHM', 1000, 10000, 12],
      ['MEDIAN BEAT', 1000, 1200, 12],
    ]);
    const rhythm = w.groups[0]!;
    expect(rhythm.channels.map((c) => c.label)).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    // Stored (pydicom, as_raw): lead I starts 80, 65, 50, 35; lead II's range is −167…910; sensitivity 1.25 µV.
    expect(Array.from(rhythm.channels[0]!.values.subarray(0, 4))).toEqual([0.1, 0.08125, 0.0625, 0.04375].map(Math.fround));
    expect(rhythm.channels[1]!.min).toBeCloseTo(-167 * 1.25e-3, 6);
    expect(rhythm.channels[1]!.max).toBeCloseTo(910 * 1.25e-3, 6);
    const texts = w.annotations.filter((a) => a.text).map((a) => a.text);
    expect(texts).toEqual(['RITMO SINUSALE', 'ECG NORMALE']);
    const rr = w.annotations.find((a) => a.name?.meaning === 'RR Interval');
    expect(rr).toMatchObject({ numeric: 982, units: { value: 'ms' } });
  });
});
