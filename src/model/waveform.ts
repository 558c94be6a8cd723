// DICOM waveforms (PS3.3 C.10.9 Waveform Module, C.10.10 Waveform Annotation): 12-lead and general ECG,
// ambulatory, hemodynamic, arterial pulse, respiratory. A dataset (dcmjs's, or the DICOM JSON model with inline
// binary) → multiplex groups of channels with their samples in physical units, and the annotations. Pure: the
// viewer (features/objects/waveform) draws what this returns.
import { getNumber, getNumbers, getSequence, getString, type DicomJson } from '../dicom/json';

/** A coded concept as the file gives it. */
export interface Code {
  value: string;
  scheme: string;
  meaning: string;
}

/** What a channel's values measure, deciding how it is drawn (voltage on the ECG grid in mV, pressure in mmHg). */
export type Quantity = 'voltage' | 'pressure' | 'other';

export interface WaveformChannel {
  /** 0-based index in its multiplex group. */
  index: number;
  /** Short label: the ECG lead (I, II, aVR, V1…) from the source code, else the channel label or code meaning. */
  label: string;
  /** Channel Source Sequence's code (what the channel records), if any. */
  source?: Code;
  quantity: Quantity;
  /** The unit of `values`: mV for voltages, mmHg for pressures given in mmHg/kPa/cmH2O, else the file's unit. */
  unit: string;
  /** The file's units code (UCUM code value, e.g. uV, mm[Hg]); empty when the channel has no defined units. */
  fileUnit: string;
  /** Channel Sensitivity × correction factor, in the file's unit per stored sample unit. */
  sensitivity: number;
  correction: number;
  /** Channel Baseline, in the file's unit. */
  baseline: number;
  bitsStored?: number;
  /** Channel Sample Skew, in seconds (0 when absent). */
  skew: number;
  /** Filters, in Hz, where given. */
  filterLow?: number;
  filterHigh?: number;
  notch?: number;
  /** Samples in `unit`; NaN where the sample equals the group's padding value. */
  values: Float32Array;
  /** Smallest and largest value (NaN ignored; 0, 0 when none). */
  min: number;
  max: number;
}

export interface MultiplexGroup {
  /** 0-based index in the Waveform Sequence (annotations refer to groups 1-based). */
  index: number;
  label: string;
  /** Samples per second. */
  samplingFrequency: number;
  numberOfSamples: number;
  /** Seconds from the acquisition's start (Multiplex Group Time Offset, ms in the file). */
  timeOffset: number;
  bitsAllocated: number;
  sampleInterpretation: string;
  channels: WaveformChannel[];
  /** numberOfSamples / samplingFrequency. */
  duration: number;
}

export interface WaveformAnnotation {
  text?: string;
  /** Concept Name (what is measured or said: "RR Interval", "P Onset"). */
  name?: Code;
  /** Coded value (Concept Code Sequence). */
  concept?: Code;
  numeric?: number;
  units?: Code;
  /** Referenced Waveform Channels as (group, channel) pairs, both 1-based as in the file; channel 0 = all. */
  channels: { group: number; channel: number }[];
  temporalRangeType?: string;
  /** Referenced Sample Positions (1-based, in the referenced group's samples). */
  samplePositions: number[];
  /** Referenced Time Offsets, in seconds. */
  timeOffsets: number[];
  groupNumber?: number;
}

export interface Waveform {
  groups: MultiplexGroup[];
  annotations: WaveformAnnotation[];
}

export type WaveformErrorCode =
  | 'no-waveform'
  | 'no-channels'
  | 'bad-frequency'
  | 'bad-samples'
  | 'unsupported-interpretation'
  | 'no-data'
  | 'short-data';

/** A waveform that cannot be shown; `code` picks the translated message, `params` fill it. */
export class WaveformError extends Error {
  constructor(
    readonly code: WaveformErrorCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${code} ${JSON.stringify(params)}`);
    this.name = 'WaveformError';
  }
}

const TAG = {
  WaveformSequence: '54000100',
  MultiplexGroupTimeOffset: '00181068',
  NumberOfWaveformChannels: '003A0005',
  NumberOfWaveformSamples: '003A0010',
  SamplingFrequency: '003A001A',
  MultiplexGroupLabel: '003A0020',
  ChannelDefinitionSequence: '003A0200',
  ChannelLabel: '003A0203',
  ChannelSourceSequence: '003A0208',
  ChannelSensitivity: '003A0210',
  ChannelSensitivityUnitsSequence: '003A0211',
  ChannelSensitivityCorrectionFactor: '003A0212',
  ChannelBaseline: '003A0213',
  ChannelSampleSkew: '003A0215',
  WaveformBitsStored: '003A021A',
  FilterLowFrequency: '003A0220',
  FilterHighFrequency: '003A0221',
  NotchFilterFrequency: '003A0222',
  WaveformBitsAllocated: '54001004',
  WaveformSampleInterpretation: '54001006',
  WaveformPaddingValue: '5400100A',
  WaveformData: '54001010',
  WaveformAnnotationSequence: '0040B020',
  UnformattedTextValue: '00700006',
  ConceptNameCodeSequence: '0040A043',
  ConceptCodeSequence: '0040A168',
  NumericValue: '0040A30A',
  MeasurementUnitsCodeSequence: '004008EA',
  ReferencedWaveformChannels: '0040A0B0',
  TemporalRangeType: '0040A130',
  ReferencedSamplePositions: '0040A132',
  ReferencedTimeOffsets: '0040A138',
  AnnotationGroupNumber: '0040A180',
  CodeValue: '00080100',
  CodingSchemeDesignator: '00080102',
  CodeMeaning: '00080104',
} as const;

/** Guards against absurd headers before allocating (a 12-lead of 24 h at 1 kHz is ~1e9 values: refused). */
const MAX_VALUES = 200_000_000;

/** Parses every multiplex group of a waveform dataset. Throws WaveformError when the object cannot be shown. */
export function parseWaveform(ds: DicomJson, options: { bigEndian?: boolean } = {}): Waveform {
  const items = getSequence(ds, TAG.WaveformSequence);
  if (items.length === 0) throw new WaveformError('no-waveform');
  const groups = items.map((item, i) => parseGroup(item, i, options.bigEndian === true));
  return { groups, annotations: getSequence(ds, TAG.WaveformAnnotationSequence).map(parseAnnotation) };
}

function parseGroup(item: DicomJson, index: number, bigEndian: boolean): MultiplexGroup {
  const group = index + 1;
  const channelCount = getNumber(item, TAG.NumberOfWaveformChannels);
  const defs = getSequence(item, TAG.ChannelDefinitionSequence);
  if (!channelCount || channelCount < 1 || !Number.isInteger(channelCount)) throw new WaveformError('no-channels', { group });
  const frequency = getNumber(item, TAG.SamplingFrequency);
  if (!frequency || !(frequency > 0)) throw new WaveformError('bad-frequency', { group });
  const samples = getNumber(item, TAG.NumberOfWaveformSamples);
  if (!samples || samples < 1 || !Number.isInteger(samples) || samples * channelCount > MAX_VALUES) {
    throw new WaveformError('bad-samples', { group, samples: String(samples ?? '') });
  }
  const interpretation = getString(item, TAG.WaveformSampleInterpretation).trim() || 'SS';
  const bitsAllocated = getNumber(item, TAG.WaveformBitsAllocated) ?? 16;
  const reader = sampleReader(interpretation, bitsAllocated);
  if (!reader) throw new WaveformError('unsupported-interpretation', { group, interpretation, bits: bitsAllocated });
  const bytes = binaryBytes(item[TAG.WaveformData]);
  if (!bytes || bytes.length === 0) throw new WaveformError('no-data', { group });
  const needed = samples * channelCount * reader.size;
  if (bytes.length < needed) throw new WaveformError('short-data', { group, have: bytes.length, need: needed });

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = !bigEndian;
  const padding = paddingValue(item[TAG.WaveformPaddingValue], reader, little);
  const channels: WaveformChannel[] = [];
  for (let c = 0; c < channelCount; c++) {
    const def = defs[c] ?? {};
    const source = code(getSequence(def, TAG.ChannelSourceSequence)[0]);
    const units = code(getSequence(def, TAG.ChannelSensitivityUnitsSequence)[0]);
    const fileUnit = units?.value ?? '';
    const { quantity, unit, factor } = unitOf(fileUnit, source);
    // Without a sensitivity the samples are in arbitrary units (PS3.3 C.10.9.1.4.2): drawn as stored.
    const sensitivity = getNumber(def, TAG.ChannelSensitivity) ?? 1;
    const correction = getNumber(def, TAG.ChannelSensitivityCorrectionFactor) ?? 1;
    const baseline = getNumber(def, TAG.ChannelBaseline) ?? 0;
    const values = new Float32Array(samples);
    let min = Infinity;
    let max = -Infinity;
    // Channel Baseline is "the offset of encoded sample value 0 from actual 0 using the units defined in the
    // Channel Sensitivity Units Sequence" (PS3.3 C.10.9.1.4.3): added after scaling, in the file's unit.
    const scale = sensitivity * correction;
    for (let s = 0; s < samples; s++) {
      const raw = reader.read(view, (s * channelCount + c) * reader.size, little);
      if (padding !== undefined && raw === padding) {
        values[s] = NaN;
        continue;
      }
      const v = (raw * scale + baseline) * factor;
      values[s] = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    channels.push({
      index: c,
      label: channelLabel(def, source, c),
      source,
      quantity,
      unit,
      fileUnit,
      sensitivity,
      correction,
      baseline,
      bitsStored: getNumber(def, TAG.WaveformBitsStored),
      skew: (getNumber(def, TAG.ChannelSampleSkew) ?? 0) / 1000,
      filterLow: getNumber(def, TAG.FilterLowFrequency),
      filterHigh: getNumber(def, TAG.FilterHighFrequency),
      notch: getNumber(def, TAG.NotchFilterFrequency),
      values,
      min: Number.isFinite(min) ? min : 0,
      max: Number.isFinite(max) ? max : 0,
    });
  }
  return {
    index,
    label: getString(item, TAG.MultiplexGroupLabel).trim(),
    samplingFrequency: frequency,
    numberOfSamples: samples,
    timeOffset: (getNumber(item, TAG.MultiplexGroupTimeOffset) ?? 0) / 1000,
    bitsAllocated,
    sampleInterpretation: interpretation,
    channels,
    duration: samples / frequency,
  };
}

function parseAnnotation(item: DicomJson): WaveformAnnotation {
  const refs = getNumbers(item, TAG.ReferencedWaveformChannels) ?? [];
  const channels: WaveformAnnotation['channels'] = [];
  for (let i = 0; i + 1 < refs.length; i += 2) channels.push({ group: refs[i]!, channel: refs[i + 1]! });
  const text = getString(item, TAG.UnformattedTextValue).trim();
  return {
    text: text || undefined,
    name: code(getSequence(item, TAG.ConceptNameCodeSequence)[0]),
    concept: code(getSequence(item, TAG.ConceptCodeSequence)[0]),
    numeric: getNumber(item, TAG.NumericValue),
    units: code(getSequence(item, TAG.MeasurementUnitsCodeSequence)[0]),
    channels,
    temporalRangeType: getString(item, TAG.TemporalRangeType).trim() || undefined,
    samplePositions: getNumbers(item, TAG.ReferencedSamplePositions) ?? [],
    timeOffsets: (getNumbers(item, TAG.ReferencedTimeOffsets) ?? []).map((ms) => ms / 1000),
    groupNumber: getNumber(item, TAG.AnnotationGroupNumber),
  };
}

function code(item: DicomJson | undefined): Code | undefined {
  if (!item) return undefined;
  const value = getString(item, TAG.CodeValue).trim();
  const meaning = getString(item, TAG.CodeMeaning).trim();
  if (!value && !meaning) return undefined;
  return { value, scheme: getString(item, TAG.CodingSchemeDesignator).trim(), meaning };
}

// ---- samples -----------------------------------------------------------------------------------------------

interface SampleReader {
  /** Bytes per sample. */
  size: number;
  read(view: DataView, offset: number, little: boolean): number;
}

/**
 * How to read one sample (PS3.3 C.10.9.1.5): SB/UB/MB/AB (8 bits; MB µ-law, AB A-law), SS/US (16), SL/UL (32),
 * SV/UV (64), FL/FD (32/64-bit float). Undefined for an interpretation that does not fit its bits allocated.
 */
export function sampleReader(interpretation: string, bitsAllocated: number): SampleReader | undefined {
  const key = `${interpretation}${bitsAllocated}`;
  switch (key) {
    case 'SB8':
      return { size: 1, read: (v, o) => v.getInt8(o) };
    case 'UB8':
      return { size: 1, read: (v, o) => v.getUint8(o) };
    case 'MB8':
      return { size: 1, read: (v, o) => muLaw(v.getUint8(o)) };
    case 'AB8':
      return { size: 1, read: (v, o) => aLaw(v.getUint8(o)) };
    case 'SS16':
      return { size: 2, read: (v, o, le) => v.getInt16(o, le) };
    case 'US16':
      return { size: 2, read: (v, o, le) => v.getUint16(o, le) };
    case 'SL32':
      return { size: 4, read: (v, o, le) => v.getInt32(o, le) };
    case 'UL32':
      return { size: 4, read: (v, o, le) => v.getUint32(o, le) };
    case 'SV64':
      return { size: 8, read: (v, o, le) => Number(v.getBigInt64(o, le)) };
    case 'UV64':
      return { size: 8, read: (v, o, le) => Number(v.getBigUint64(o, le)) };
    case 'FL32':
      return { size: 4, read: (v, o, le) => v.getFloat32(o, le) };
    case 'FD64':
      return { size: 8, read: (v, o, le) => v.getFloat64(o, le) };
    default:
      return undefined;
  }
}

/** ITU-T G.711 µ-law byte → linear sample (±32124, as G.711's decoder gives). */
export function muLaw(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return u & 0x80 ? 0 - magnitude : magnitude;
}

/** ITU-T G.711 A-law byte → linear 13-bit sample scaled to 16 bits (±32256). */
export function aLaw(byte: number): number {
  const a = byte ^ 0x55;
  const exponent = (a >> 4) & 0x07;
  const mantissa = a & 0x0f;
  const magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return a & 0x80 ? magnitude : 0 - magnitude;
}

/** The bytes of a binary attribute: dcmjs's ArrayBuffer(s), a typed array, or DICOM JSON's InlineBinary. */
function binaryBytes(el: DicomJson[string]): Uint8Array | undefined {
  if (!el) return undefined;
  if (el.InlineBinary) {
    const bin = atob(el.InlineBinary);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  const parts: Uint8Array[] = [];
  const collect = (v: unknown) => {
    if (v instanceof ArrayBuffer) parts.push(new Uint8Array(v));
    else if (ArrayBuffer.isView(v)) parts.push(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    else if (Array.isArray(v)) v.forEach(collect);
  };
  (el.Value ?? []).forEach(collect);
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Waveform Padding Value (OB/OW: one sample's bytes) as a sample, when present. */
function paddingValue(el: DicomJson[string], reader: SampleReader, little: boolean): number | undefined {
  const bytes = binaryBytes(el);
  if (!bytes || bytes.length < reader.size) return undefined;
  return reader.read(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, little);
}

// ---- units and labels --------------------------------------------------------------------------------------

/** UCUM voltage units → mV. */
const TO_MV: Record<string, number> = { nV: 1e-6, uV: 1e-3, 'µV': 1e-3, mV: 1, V: 1e3 };
/** UCUM pressure units → mmHg. */
const TO_MMHG: Record<string, number> = { 'mm[Hg]': 1, mmHg: 1, kPa: 7.500617, Pa: 0.007500617, 'cm[H2O]': 0.7355592 };

/**
 * What a channel measures and the unit it is drawn in, from its units code value (UCUM): voltages in mV (the ECG
 * grid's unit), pressures in mmHg; anything else in its own unit (L/s, %, Cel…), drawn on a scale of its own.
 */
export function unitOf(fileUnit: string, source?: Code): { quantity: Quantity; unit: string; factor: number } {
  const mv = TO_MV[fileUnit];
  if (mv !== undefined) return { quantity: 'voltage', unit: 'mV', factor: mv };
  const mmHg = TO_MMHG[fileUnit];
  if (mmHg !== undefined) return { quantity: 'pressure', unit: 'mmHg', factor: mmHg };
  // No units: an ECG lead by its source is still a voltage in arbitrary units, but it cannot be put on the grid.
  void source;
  return { quantity: 'other', unit: fileUnit, factor: 1 };
}

/** SCP-ECG / MDC lead numbers (ISO 11073-10101 MDC_ECG_LEAD_*: 2:n, numeric 131072 + n) → lead names. */
const LEAD_BY_NUMBER: Record<number, string> = {
  1: 'I', 2: 'II', 3: 'V1', 4: 'V2', 5: 'V3', 6: 'V4', 7: 'V5', 8: 'V6', 9: 'V7',
  10: 'V2R', 11: 'V3R', 12: 'V4R', 13: 'V5R', 14: 'V6R', 15: 'V7R', 16: 'X', 17: 'Y', 18: 'Z',
  61: 'III', 62: 'aVR', 63: 'aVL', 64: 'aVF', 65: '-aVR', 66: 'V8', 67: 'V9', 68: 'V8R', 69: 'V9R',
};
/** Lead names as they appear in code meanings ("Lead aVR", "Lead I (Einthoven)"), case-insensitively. */
const LEAD_NAMES = new Map(Object.values(LEAD_BY_NUMBER).map((n) => [n.toLowerCase(), n]));

/** An ECG lead's conventional name from a Channel Source code, if it names one. */
export function leadFromCode(source: Code | undefined): string | undefined {
  if (!source) return undefined;
  const scheme = source.scheme.toUpperCase();
  let n: number | undefined;
  let m: RegExpExecArray | null;
  if (scheme === 'SCPECG' && (m = /^5\.6\.3-9-(\d+)$/.exec(source.value))) n = Number(m[1]);
  else if (scheme === 'MDC' && (m = /^2:(\d+)$/.exec(source.value))) n = Number(m[1]);
  else if (scheme === 'MDC' && /^\d+$/.test(source.value) && Number(source.value) >> 16 === 2) n = Number(source.value) & 0xffff;
  if (n !== undefined && LEAD_BY_NUMBER[n]) return LEAD_BY_NUMBER[n];
  m = /^(?:lead\s+)?(\S+?)(?:\s*\(.*\))?$/i.exec(source.meaning.trim());
  return m ? LEAD_NAMES.get(m[1]!.toLowerCase()) : undefined;
}

function channelLabel(def: DicomJson, source: Code | undefined, index: number): string {
  return leadFromCode(source) ?? (getString(def, TAG.ChannelLabel).trim() || source?.meaning || `${index + 1}`);
}
