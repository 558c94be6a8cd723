// Draws an ECG sheet (model/ecg.ts's Paper) on a 2D canvas in device pixels: the 1 mm / 5 mm grid, each row's
// calibration pulse (or scale bar), the traces and the annotations' time marks; the caliper on a canvas above. Labels are DOM text
// over the canvas (EcgPaper.tsx), so that they can be read and found.
import { MAJOR_MM, MINOR_MM, PULSE_MV, PULSE_S, timeToMm, valueToMm, type Mark, type Paper } from '../../../model/ecg';
import type { MultiplexGroup } from '../../../model/waveform';

export const COLORS = {
  paper: '#ffffff',
  minor: '#f4c7c7',
  major: '#e0868a',
  trace: '#111111',
  mark: '#1d63c9',
  caliper: '#087a2e',
} as const;

export interface Caliper {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface DrawOptions {
  /** Device pixels per mm of paper (CSS px per mm × zoom × devicePixelRatio). */
  scale: number;
  /** Times (seconds into the group) the annotations mark. */
  marks: Mark[];
}

/** Draws `paper` for `group` on `ctx`, whose canvas is `paper.widthMm × paper.heightMm` at `scale`. */
export function drawPaper(ctx: CanvasRenderingContext2D, paper: Paper, group: MultiplexGroup, o: DrawOptions): void {
  const { scale } = o;
  const w = ctx.canvas.width;
  const h = ctx.canvas.height;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = COLORS.paper;
  ctx.fillRect(0, 0, w, h);
  drawGrid(ctx, scale);

  const px = (mm: number) => mm * scale;
  ctx.lineJoin = 'round';
  ctx.lineCap = 'butt';
  for (const row of paper.rows) {
    const first = group.channels[row.segments[0]!.channel]!;
    // The calibration: 1 mV for 0.2 s for voltages, else a bar of a round value in the row's unit.
    ctx.strokeStyle = COLORS.trace;
    ctx.lineWidth = Math.max(1, 1.2 * (scale / 3.78));
    const base = valueToMm(row, row.scale.zero);
    if (first.quantity === 'voltage') {
      const width = PULSE_S * paper.speed;
      const x0 = (paper.calibrationMm - width) / 2;
      const top = base - PULSE_MV * row.scale.mmPerUnit;
      ctx.beginPath();
      ctx.moveTo(px(x0 - 1.5), px(base));
      ctx.lineTo(px(x0), px(base));
      ctx.lineTo(px(x0), px(top));
      ctx.lineTo(px(x0 + width), px(top));
      ctx.lineTo(px(x0 + width), px(base));
      ctx.lineTo(px(x0 + width + 1.5), px(base));
      ctx.stroke();
    } else {
      const x = paper.calibrationMm / 2;
      const top = valueToMm(row, row.scale.zero + row.scale.bar);
      ctx.beginPath();
      ctx.moveTo(px(x), px(base));
      ctx.lineTo(px(x), px(top));
      ctx.moveTo(px(x - 1.5), px(base));
      ctx.lineTo(px(x + 1.5), px(base));
      ctx.moveTo(px(x - 1.5), px(top));
      ctx.lineTo(px(x + 1.5), px(top));
      ctx.stroke();
    }
    for (const [k, seg] of row.segments.entries()) {
      const ch = group.channels[seg.channel]!;
      const fs = group.samplingFrequency;
      const from = Math.max(0, Math.ceil(seg.start * fs - 1e-9));
      const to = Math.min(ch.values.length - 1, Math.floor((seg.start + seg.duration) * fs - 1e-9));
      ctx.strokeStyle = COLORS.trace;
      ctx.beginPath();
      let pen = false;
      for (let i = from; i <= to; i++) {
        const v = ch.values[i]!;
        if (Number.isNaN(v)) {
          pen = false;
          continue;
        }
        const x = px(timeToMm(paper, seg, i / fs));
        const y = px(valueToMm(row, v));
        if (pen) ctx.lineTo(x, y);
        else ctx.moveTo(x, y);
        pen = true;
      }
      ctx.stroke();
      // A short tick where one column of the 3×4 sheet ends and the next lead begins.
      if (k > 0) {
        const x = px(paper.calibrationMm + seg.xMm);
        ctx.beginPath();
        ctx.moveTo(x, px(base - 2.5));
        ctx.lineTo(x, px(base + 2.5));
        ctx.stroke();
      }
      // Annotated times within this segment: a dashed mark across the row.
      ctx.save();
      ctx.strokeStyle = COLORS.mark;
      ctx.setLineDash([px(1), px(1)]);
      ctx.lineWidth = Math.max(1, scale / 4);
      for (const { t, channels } of o.marks) {
        if (t < seg.start || t > seg.start + seg.duration || (channels && !channels.has(seg.channel))) continue;
        const x = px(timeToMm(paper, seg, t));
        ctx.beginPath();
        ctx.moveTo(x, px(row.topMm + 1));
        ctx.lineTo(x, px(row.topMm + row.heightMm - 1));
        ctx.stroke();
      }
      ctx.restore();
    }
  }
}

function drawGrid(ctx: CanvasRenderingContext2D, scale: number): void {
  const w = ctx.canvas.width;
  const h = ctx.canvas.height;
  // Lines on whole device pixels (crisp); each at its own rounded position, so spacing stays true on average.
  const line = (major: boolean) => {
    const width = major ? Math.max(1, Math.round(scale / 3.78)) : 1;
    return { width, offset: width % 2 ? 0.5 : 0 };
  };
  for (const major of [false, true]) {
    const { width, offset } = line(major);
    ctx.strokeStyle = major ? COLORS.major : COLORS.minor;
    ctx.lineWidth = width;
    ctx.beginPath();
    const step = major ? MAJOR_MM : MINOR_MM;
    for (let mm = 0, i = 0; mm * scale <= w; i++, mm = i * step) {
      if (!major && i % (MAJOR_MM / MINOR_MM) === 0) continue;
      const x = Math.round(mm * scale) + offset;
      ctx.moveTo(x, 0);
      ctx.lineTo(x, h);
    }
    for (let mm = 0, i = 0; mm * scale <= h; i++, mm = i * step) {
      if (!major && i % (MAJOR_MM / MINOR_MM) === 0) continue;
      const y = Math.round(mm * scale) + offset;
      ctx.moveTo(0, y);
      ctx.lineTo(w, y);
    }
    ctx.stroke();
  }
}

/** Draws the caliper alone on its own (transparent) canvas over the sheet, so that a drag does not redraw the traces. */
export function drawCaliper(ctx: CanvasRenderingContext2D, c: Caliper | undefined, scale: number, paper: Paper): void {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  if (!c) return;
  const row = paper.rows.find((r) => c.y0 >= r.topMm && c.y0 < r.topMm + r.heightMm);
  const top = row ? row.topMm : Math.min(c.y0, c.y1) - 5;
  const bottom = row ? row.topMm + row.heightMm : Math.max(c.y0, c.y1) + 5;
  ctx.save();
  ctx.strokeStyle = COLORS.caliper;
  ctx.lineWidth = Math.max(1, scale / 3);
  ctx.beginPath();
  for (const x of [c.x0, c.x1]) {
    ctx.moveTo(x * scale, top * scale);
    ctx.lineTo(x * scale, bottom * scale);
  }
  ctx.moveTo(c.x0 * scale, c.y0 * scale);
  ctx.lineTo(c.x1 * scale, c.y0 * scale);
  // The amplitude: from the start's level to the end's, at the end.
  ctx.moveTo(c.x1 * scale - 2 * scale, c.y1 * scale);
  ctx.lineTo(c.x1 * scale + 2 * scale, c.y1 * scale);
  ctx.stroke();
  ctx.restore();
}
