import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { CSS_PX_PER_MM, type Mark, type Paper } from '../../../model/ecg';
import type { MultiplexGroup } from '../../../model/waveform';
import { drawCaliper, drawPaper, type Caliper } from './drawPaper';

interface Props {
  paper: Paper;
  group: MultiplexGroup;
  zoom: number;
  marks: Mark[];
  caliper?: Caliper;
  onCaliper: (c: Caliper | undefined, done: boolean) => void;
  /** Formats a row's scale-bar value with its unit ("20 mmHg"). */
  barLabel: (value: number, unit: string) => string;
}

/**
 * The sheet: a canvas sized to the paper (1 mm of paper = 96/25.4 CSS px × zoom, backed by device pixels), lead
 * labels over it as text, and calipers by click-drag. Always left to right, whatever the page's direction: time
 * runs left to right on an ECG.
 */
export function EcgPaper({ paper, group, zoom, marks, caliper, onCaliper, barLabel }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const drag = useRef<{ x0: number; y0: number } | undefined>(undefined);
  const cssPerMm = CSS_PX_PER_MM * zoom;
  const [dpr, setDpr] = useState(() => window.devicePixelRatio || 1);
  const cssWidth = paper.widthMm * cssPerMm;
  const cssHeight = paper.heightMm * cssPerMm;

  // Browser zoom changes devicePixelRatio: redraw at the new resolution.
  useEffect(() => {
    const query = window.matchMedia(`(resolution: ${dpr}dppx)`);
    const changed = () => setDpr(window.devicePixelRatio || 1);
    query.addEventListener('change', changed);
    return () => query.removeEventListener('change', changed);
  }, [dpr]);

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    canvas.width = Math.round(cssWidth * dpr);
    canvas.height = Math.round(cssHeight * dpr);
    drawPaper(ctx, paper, group, { scale: cssPerMm * dpr, marks });
  }, [paper, group, cssPerMm, cssWidth, cssHeight, dpr, marks]);

  useLayoutEffect(() => {
    const overlay = overlayRef.current;
    const ctx = overlay?.getContext('2d');
    if (!overlay || !ctx) return;
    const width = Math.round(cssWidth * dpr);
    const height = Math.round(cssHeight * dpr);
    if (overlay.width !== width || overlay.height !== height) (overlay.width = width), (overlay.height = height);
    drawCaliper(ctx, caliper, cssPerMm * dpr, paper);
  }, [paper, caliper, cssPerMm, cssWidth, cssHeight, dpr]);

  const toMm = (e: React.PointerEvent) => {
    const r = canvasRef.current!.getBoundingClientRect();
    return { x: (e.clientX - r.left) / cssPerMm, y: (e.clientY - r.top) / cssPerMm };
  };

  return (
    <div className="ecg-sheet" dir="ltr" style={{ width: cssWidth, height: cssHeight }}>
      <canvas
        ref={canvasRef}
        data-testid="ecg-canvas"
        data-css-px-per-mm={cssPerMm}
        data-calibration-mm={paper.calibrationMm}
        data-layout={paper.layout}
        data-rows={JSON.stringify(paper.rows.map((r) => ({ top: r.topMm, height: r.heightMm, baseline: r.baselineMm })))}
        style={{ width: cssWidth, height: cssHeight }}
      />
      <canvas
        ref={overlayRef}
        className="ecg-overlay"
        data-testid="ecg-calipers"
        style={{ width: cssWidth, height: cssHeight }}
        onPointerDown={(e) => {
          if (e.button !== 0) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          const p = toMm(e);
          drag.current = { x0: p.x, y0: p.y };
          onCaliper({ x0: p.x, y0: p.y, x1: p.x, y1: p.y }, false);
        }}
        onPointerMove={(e) => {
          if (!drag.current) return;
          const p = toMm(e);
          onCaliper({ ...drag.current, x1: p.x, y1: p.y }, false);
        }}
        onPointerUp={(e) => {
          if (!drag.current) return;
          const p = toMm(e);
          const c = { ...drag.current, x1: p.x, y1: p.y };
          drag.current = undefined;
          // A click without a drag clears the caliper.
          onCaliper(Math.abs(c.x1 - c.x0) < 0.5 && Math.abs(c.y1 - c.y0) < 0.5 ? undefined : c, true);
        }}
      />
      {paper.rows.map((row, r) =>
        row.segments.map((seg, k) => (
          <span
            key={`${r}-${k}`}
            className="ecg-lead"
            data-testid="lead-label"
            style={{ left: (paper.calibrationMm + seg.xMm) * cssPerMm + 4, top: row.topMm * cssPerMm + 2 }}
          >
            {seg.label}
          </span>
        )),
      )}
      {paper.rows.map((row, r) => {
        const ch = group.channels[row.segments[0]!.channel]!;
        if (ch.quantity === 'voltage') return null;
        return (
          <span key={`bar-${r}`} className="ecg-bar" data-testid="scale-bar" style={{ left: 2, top: (row.topMm + row.heightMm) * cssPerMm - 16 }}>
            {barLabel(row.scale.bar, row.scale.unit)}
          </span>
        );
      })}
    </div>
  );
}
