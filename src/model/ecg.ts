// The ECG paper: where each lead goes (the 12-lead 3×4 + rhythm strip, or one channel per row), how millimetres of
// paper map to time and amplitude, R peaks and the heart rate, and what a caliper measures. Pure; lengths in mm
// of paper, times in seconds, voltages in mV. The viewer turns mm into screen pixels (CSS_PX_PER_MM × zoom).
import type { MultiplexGroup, WaveformAnnotation, WaveformChannel } from './waveform';

/** CSS pixels per millimetre at 100% zoom: CSS defines 1 in = 96 px = 25.4 mm. */
export const CSS_PX_PER_MM = 96 / 25.4;
export const SPEEDS = [12.5, 25, 50] as const;
export const GAINS = [5, 10, 20] as const;
export const DEFAULT_SPEED = 25;
export const DEFAULT_GAIN = 10;
/** Minor and major grid lines, mm apart. */
export const MINOR_MM = 1;
export const MAJOR_MM = 5;
/** The calibration pulse: 1 mV for 0.2 s. */
export const PULSE_MV = 1;
export const PULSE_S = 0.2;

export type EcgLayout = 'standard' | 'rows';

/** The 12 leads as printed on a 3×4 sheet: columns of three, read top to bottom, left to right. */
export const STANDARD_COLUMNS = [
  ['I', 'II', 'III'],
  ['aVR', 'aVL', 'aVF'],
  ['V1', 'V2', 'V3'],
  ['V4', 'V5', 'V6'],
] as const;
export const RHYTHM_LEAD = 'II';
/** The standard sheet's length: 10 s, each column 2.5 s. */
export const STANDARD_SECONDS = 10;
/** Shorter groups are not split into the 3×4 sheet's columns. */
export const MIN_STANDARD_SECONDS = 4;

/** How a row maps values to paper: `mmPerUnit` up from `baselineMm` (from the row's top) for value `zero`. */
export interface RowScale {
  unit: string;
  mmPerUnit: number;
  /** The value drawn at the baseline (0 for voltages; a round value near the channel's low end otherwise). */
  zero: number;
  /** A round value that the row's scale bar shows (1 mV for voltages: the calibration pulse). */
  bar: number;
}

export interface TraceSegment {
  channel: number;
  label: string;
  /** Seconds into the group where the segment starts, and its length. */
  start: number;
  duration: number;
  /** mm from the start of the trace area (after the calibration area). */
  xMm: number;
}

export interface PaperRow {
  segments: TraceSegment[];
  /** Row top, mm from the sheet's top; its height; the baseline, mm below the row top. */
  topMm: number;
  heightMm: number;
  baselineMm: number;
  scale: RowScale;
}

export interface Paper {
  layout: EcgLayout;
  rows: PaperRow[];
  /** Width of the calibration area at each row's start (the pulse or scale bar), mm. */
  calibrationMm: number;
  widthMm: number;
  heightMm: number;
  speed: number;
  gain: number;
}

/** A stretch of the recording, seconds. */
export interface TimeWindow {
  start: number;
  seconds: number;
}

/** The longest stretch one row shows at once (a longer recording is paged): 30 s is 750 mm at 25 mm/s. */
export const MAX_ROW_SECONDS = 30;

const ceilTo = (v: number, step: number) => Math.ceil(v / step - 1e-9) * step;

/**
 * Index of each standard lead in the group, when it can be laid out as the 3×4 sheet: all twelve leads, and at
 * least 4 s (four columns of under a second, a median beat, say little: such a group goes one lead per row).
 */
export function standardLeads(group: MultiplexGroup): Map<string, number> | undefined {
  if (group.duration < MIN_STANDARD_SECONDS) return undefined;
  const byLabel = new Map<string, number>();
  for (const ch of group.channels) if (ch.quantity === 'voltage' && !byLabel.has(ch.label)) byLabel.set(ch.label, ch.index);
  return STANDARD_COLUMNS.flat().every((l) => byLabel.has(l)) ? byLabel : undefined;
}

/** A "nice" number ≥ v: 1, 2, 2.5 or 5 × 10^k. */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v * (1 - 1e-9)) return m * p;
  return 10 * p;
}

/** Paper scale of one channel: voltages at the gain (mm/mV); pressures and others fitted to the row, rounded. */
export function rowScale(ch: WaveformChannel, gain: number, heightMm: number): RowScale {
  if (ch.quantity === 'voltage') return { unit: 'mV', mmPerUnit: gain, zero: 0, bar: PULSE_MV };
  // Pressures are read from 0 mmHg; other quantities from a round value at or below their minimum.
  const fromZero = ch.quantity === 'pressure' && ch.min >= 0;
  const low = fromZero ? 0 : ch.min;
  const range = Math.max(ch.max - low, 1e-6);
  // Units per 5 mm (a major square), rounded, so that the channel's span fills at most ~80% of the row.
  const perMajor = niceCeil((range / (heightMm * 0.8)) * MAJOR_MM);
  const zero = fromZero ? 0 : Math.floor(low / perMajor) * perMajor;
  return { unit: ch.unit, mmPerUnit: MAJOR_MM / perMajor, zero, bar: niceCeil(range / 2) };
}

/**
 * Lays out a multiplex group. `standard`: the 12 leads in 3 rows × 4 columns of 2.5 s (I, II, III | aVR, aVL, aVF
 * | V1–V3 | V4–V6, each column the next 2.5 s of the simultaneous recording) and a 10 s lead II rhythm strip
 * (recordings of 4–10 s: a quarter of their length per column); only when the group has all twelve leads and
 * lasts at least 4 s. `rows`:
 * every channel on a row of its own, over `window` (default: the whole recording).
 */
export function layoutPaper(group: MultiplexGroup, layout: EcgLayout, speed: number, gain: number, window?: TimeWindow): Paper {
  const leads = layout === 'standard' ? standardLeads(group) : undefined;
  const effective: EcgLayout = leads ? 'standard' : 'rows';
  const calibrationMm = ceilTo(PULSE_S * speed + 5, MAJOR_MM);
  // A voltage row holds ±1.5 mV around a baseline 60% down (QRS complexes point up more than down); at least 15 mm.
  const voltageRow = Math.max(15, ceilTo(3 * gain, MAJOR_MM));
  const otherRow = 30;
  const rows: PaperRow[] = [];
  let top = 0;
  const addRow = (segments: TraceSegment[], ch: WaveformChannel) => {
    const heightMm = ch.quantity === 'voltage' ? voltageRow : otherRow;
    const scale = rowScale(ch, gain, heightMm);
    // Voltages: 0 mV 60% down. Others: the scale's zero 10% above the row's bottom.
    const baselineMm = ceilTo(heightMm * (ch.quantity === 'voltage' ? 0.6 : 0.9), MINOR_MM);
    rows.push({ segments, topMm: top, heightMm, baselineMm, scale });
    top += heightMm;
  };
  let traceMm = 0;
  if (leads) {
    const total = Math.min(STANDARD_SECONDS, group.duration);
    const column = total / STANDARD_COLUMNS.length;
    for (let r = 0; r < 3; r++) {
      const segments = STANDARD_COLUMNS.map((col, c) => {
        const label = col[r]!;
        return { channel: leads.get(label)!, label, start: c * column, duration: column, xMm: c * column * speed };
      });
      addRow(segments, group.channels[segments[0]!.channel]!);
    }
    const rhythm = leads.get(RHYTHM_LEAD)!;
    addRow([{ channel: rhythm, label: RHYTHM_LEAD, start: 0, duration: total, xMm: 0 }], group.channels[rhythm]!);
    traceMm = total * speed;
  } else {
    const start = Math.max(0, Math.min(window?.start ?? 0, group.duration));
    const duration = Math.min(window?.seconds ?? group.duration, group.duration - start);
    for (const ch of group.channels) addRow([{ channel: ch.index, label: ch.label, start, duration, xMm: 0 }], ch);
    traceMm = duration * speed;
  }
  return {
    layout: effective,
    rows,
    calibrationMm,
    widthMm: calibrationMm + ceilTo(traceMm, MAJOR_MM),
    heightMm: top,
    speed,
    gain,
  };
}

/** Paper y (mm from the sheet's top) of `value` on a row. */
export function valueToMm(row: PaperRow, value: number): number {
  return row.topMm + row.baselineMm - (value - row.scale.zero) * row.scale.mmPerUnit;
}

/** The row at paper y, if any. */
export function rowAt(paper: Paper, yMm: number): PaperRow | undefined {
  return paper.rows.find((r) => yMm >= r.topMm && yMm < r.topMm + r.heightMm);
}

/** Paper x (mm from the sheet's left) of time `t` (seconds into the group) within a segment. */
export function timeToMm(paper: Paper, seg: TraceSegment, t: number): number {
  return paper.calibrationMm + seg.xMm + (t - seg.start) * paper.speed;
}

export interface CaliperReading {
  /** Interval in ms (always ≥ 0). */
  ms: number;
  /** Amplitude (end minus start) in the row's unit; undefined when the caliper starts outside any row. */
  amplitude?: number;
  unit?: string;
  /** 60 000 / ms, when the interval is long enough to be a beat (≥ 150 ms). */
  bpm?: number;
}

/** What a caliper from (x0, y0) to (x1, y1), in paper mm, measures on the row where it starts. */
export function caliper(paper: Paper, x0: number, y0: number, x1: number, y1: number): CaliperReading {
  const ms = (Math.abs(x1 - x0) / paper.speed) * 1000;
  const row = rowAt(paper, y0);
  const amplitude = row ? (y0 - y1) / row.scale.mmPerUnit : undefined;
  return { ms, amplitude, unit: row?.scale.unit, bpm: ms >= 150 ? 60_000 / ms : undefined };
}

// ---- R peaks and heart rate --------------------------------------------------------------------------------

/**
 * R peaks (sample indices) of an ECG lead: a small Pan–Tompkins-like detector. The slope (central difference)
 * squared, integrated over 150 ms, marks QRS complexes where it passes 30% of its 99th percentile; in each
 * complex the R peak is the sample furthest from the 100 ms before it (so negative complexes count too); peaks
 * closer than 250 ms (the refractory period) keep the larger one.
 */
export function detectRPeaks(values: Float32Array, fs: number): number[] {
  const n = values.length;
  if (n < 3 || !(fs > 0)) return [];
  const v = (i: number) => {
    const x = values[i]!;
    return Number.isNaN(x) ? 0 : x;
  };
  const energy = new Float32Array(n);
  for (let i = 1; i < n - 1; i++) {
    const d = (v(i + 1) - v(i - 1)) * fs * 0.5;
    energy[i] = d * d;
  }
  const win = Math.max(1, Math.round(0.15 * fs));
  const integrated = new Float32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += energy[i]!;
    if (i >= win) sum -= energy[i - win]!;
    integrated[i] = sum / win;
  }
  const sorted = Float32Array.from(integrated).sort();
  const threshold = 0.3 * sorted[Math.floor(0.99 * (n - 1))]!;
  if (!(threshold > 0)) return [];
  const refractory = Math.round(0.25 * fs);
  const peaks: number[] = [];
  let i = 0;
  while (i < n) {
    if (integrated[i]! <= threshold) {
      i++;
      continue;
    }
    // A complex: from where the integration window started to where it falls below the threshold.
    const start = Math.max(0, i - win);
    let end = i;
    while (end < n && integrated[end]! > threshold) end++;
    const before = values.subarray(Math.max(0, start - Math.round(0.1 * fs)), Math.max(1, start));
    let base = 0;
    let count = 0;
    for (const x of before) if (!Number.isNaN(x)) (base += x), count++;
    base = count ? base / count : v(start);
    let best = start;
    for (let k = start; k < end; k++) if (Math.abs(v(k) - base) > Math.abs(v(best) - base)) best = k;
    i = end + 1;
    // A complex cut off by the recording's start or end has its "peak" on the edge: not a beat to count.
    if (best === 0 || best === n - 1) continue;
    const last = peaks[peaks.length - 1];
    if (last !== undefined && best - last < refractory) {
      if (Math.abs(v(best) - base) > Math.abs(v(last) - base)) peaks[peaks.length - 1] = best;
    } else peaks.push(best);
  }
  return peaks;
}

export interface HeartRate {
  bpm: number;
  /** Median R-R interval, seconds. */
  rr: number;
  /** The peaks it was measured on. */
  peaks: number[];
}

/** Heart rate from the median R-R interval of a lead (at least two peaks); undefined when there are fewer. */
export function heartRate(values: Float32Array, fs: number): HeartRate | undefined {
  const peaks = detectRPeaks(values, fs);
  if (peaks.length < 2) return undefined;
  const rr = peaks
    .slice(1)
    .map((p, k) => (p - peaks[k]!) / fs)
    .sort((a, b) => a - b);
  const mid = rr.length >> 1;
  const median = rr.length % 2 ? rr[mid]! : (rr[mid - 1]! + rr[mid]!) / 2;
  return { bpm: 60 / median, rr: median, peaks };
}

/** The lead a heart rate is measured on: II if present, else the first voltage channel. */
export function rateLead(group: MultiplexGroup): WaveformChannel | undefined {
  const voltage = group.channels.filter((c) => c.quantity === 'voltage');
  return voltage.find((c) => c.label === RHYTHM_LEAD) ?? voltage[0];
}

// ---- annotations ---------------------------------------------------------------------------------------------

/** A time an annotation marks, on the channels it names (0-based; undefined: every channel). */
export interface Mark {
  t: number;
  channels?: ReadonlySet<number>;
}

/**
 * What the annotations mark in group `groupIndex` (0-based) by sample position (1-based) or time offset, on the
 * channels they reference (Referenced Waveform Channels: 1-based group and channel pairs, channel 0 = all; none
 * referenced: the first group).
 */
export function annotationMarks(annotations: WaveformAnnotation[], groupIndex: number, fs: number): Mark[] {
  const marks: Mark[] = [];
  for (const a of annotations) {
    const refs = a.channels.filter((c) => c.group === groupIndex + 1);
    if (a.channels.length > 0 ? refs.length === 0 : groupIndex !== 0) continue;
    const channels = refs.length === 0 || refs.some((c) => c.channel === 0) ? undefined : new Set(refs.map((c) => c.channel - 1));
    for (const p of a.samplePositions) marks.push({ t: (p - 1) / fs, channels });
    for (const t of a.timeOffsets) marks.push({ t, channels });
  }
  return marks;
}
