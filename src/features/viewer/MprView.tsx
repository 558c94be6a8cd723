import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../common/useFormat';
import { imageIdsFor } from '../../imaging';
// Directly, not through the imaging index: MPR loads with this view's chunk (ViewerPage imports the view lazily).
import {
  canReformat,
  MPR_PLANES,
  MprController,
  VOLUME_PRESETS,
  type MprPlane,
  type MprState,
  type SlabMode,
  type VolumePreset,
} from '../../imaging/MprController';
import { framePosition } from '../../model/displaySet';
import { cross, dot, edgeLabels, planePosition, unit } from '../../model/geometry';
import { planeOfNormal } from '../../model/measurements';
import type { Vec3 } from '../../model/types';
import { overBudgetReason, volumeEligibility } from '../../model/volume';
import { clientFor, useConfigStore } from '../../store/config';
import { useStudyStore } from '../../store/study';
import { useViewerStore } from '../../store/viewer';
import { setsOver, useSegmentationStore } from '../../store/segmentations';

// Segmentations over the series: their code loads when a first one is opened.
const SegmentationLayer = lazy(() => import('../objects/seg/SegmentationLayer'));


import { useImagingSession } from './controllers';
import { OrientationMarkers } from './OrientationMarkers';

/**
 * Three planes of one series (MPR), replacing the viewport grid. A series that does not form a volume says why
 * and offers the way back; nothing is reformatted from distorted geometry.
 */
export function MprView({
  seriesUID,
  fromIndex,
  window,
  with3d = false,
  center,
}: {
  seriesUID: string;
  fromIndex: number;
  window?: { center: number; width: number };
  with3d?: boolean;
  /** Where the planes cross (a measurement shown from the list); otherwise the slice the stack showed. */
  center?: Vec3;
}) {
  const { t, i18n } = useTranslation('viewer');
  // The view sits in the viewport grid, which keeps left to right; its bar and messages are the app's, in the reader's direction.
  const uiDir = i18n.dir(i18n.language);
  const format = useFormat();
  const refs = { axial: useRef<HTMLDivElement>(null), sagittal: useRef<HTMLDivElement>(null), coronal: useRef<HTMLDivElement>(null) };
  const ref3d = useRef<HTMLDivElement>(null);
  const session = useImagingSession();
  const entry = useStudyStore((s) => s.series[seriesUID]);
  const dataSource = useStudyStore((s) => s.dataSource);
  const budgetMb = useConfigStore((s) => s.config?.cacheBudgetMB ?? 1024);
  const closeMpr = useViewerStore((s) => s.closeMpr);
  const [state, setState] = useState<MprState>();
  const displaySet = entry?.displaySet;
  const overlaid = useSegmentationStore((s) => setsOver(s.sets, seriesUID).length > 0);

  const verdict = useMemo(() => {
    if (!displaySet) return undefined;
    if (!canReformat()) return { ok: false as const, reason: 'this browser has no WebGL 2, which reformatting needs' };
    const v = volumeEligibility(displaySet.frames);
    const over = v.ok ? overBudgetReason(v.volume.bytes, budgetMb) : undefined;
    return over ? { ok: false as const, reason: over } : v;
  }, [displaySet, budgetMb]);

  /** The MPR made for the series shown (none while the volume is refused). */
  const controllerRef = useRef<MprController | undefined>(undefined);
  // Read when the volume is ready, and followed after that.
  const centerRef = useRef(center);
  centerRef.current = center;
  useEffect(() => {
    if (center && state?.status === 'ready') controllerRef.current?.setCenter(center);
    // Only a new point moves the planes, not every state change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [center]);

  useEffect(() => {
    if (!verdict?.ok || !displaySet) return;
    const client = clientFor(dataSource);
    const elements = { axial: refs.axial.current, sagittal: refs.sagittal.current, coronal: refs.coronal.current };
    if (!client || !elements.axial || !elements.sagittal || !elements.coronal) return;
    const ids = imageIdsFor(client, verdict.volume.frames);
    // The crosshairs start on the slice the stack showed (by position, whatever the volume's order).
    // (fromIndex −1: no slice to start from; the planes start at the volume's centre.)
    const from = fromIndex >= 0 ? displaySet.frames[Math.min(fromIndex, displaySet.frames.length - 1)] : undefined;
    let started = false;
    const modality = displaySet.series.modality;
    const preset: VolumePreset = modality === 'MR' ? 'MR-Default' : 'CT-Bone';
    const onState = (s: MprState) => {
      setState(s);
      if (s.status === 'ready' && !started) {
        started = true;
        if (window) controller.setWindow(window.center, window.width);
        const at = from ? framePosition(from) : undefined;
        if (centerRef.current) controller.setCenter(centerRef.current);
        else if (at && s.center) {
          const n = verdict.volume.normal;
          const shift = dot([at[0] - s.center[0], at[1] - s.center[1], at[2] - s.center[2]], n);
          controller.setCenter([s.center[0] + shift * n[0], s.center[1] + shift * n[1], s.center[2] + shift * n[2]]);
        }
      }
    };
    const controller = new MprController(
      session,
      elements as Record<MprPlane, HTMLDivElement>,
      ids,
      seriesUID,
      onState,
      with3d ? (ref3d.current ?? undefined) : undefined,
      preset,
      client.bulkRetrieve(),
    );
    controllerRef.current = controller;
    return () => {
      if (controllerRef.current === controller) controllerRef.current = undefined;
      controller.destroy();
    };
    // Refs are stable; the window is read once when MPR opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [verdict, displaySet, dataSource, seriesUID, fromIndex, with3d]);

  /** The stack image nearest the crosshairs, and the window, for the way back. */
  const back = () => {
    let index: number | undefined;
    if (displaySet && state?.center && verdict?.ok) {
      const c = state.center as Vec3;
      const n = verdict.volume.normal;
      let best = Infinity;
      displaySet.frames.forEach((f, i) => {
        const p = framePosition(f);
        if (!p) return;
        const d = Math.abs(dot([p[0] - c[0], p[1] - c[1], p[2] - c[2]], n));
        if (d < best) {
          best = d;
          index = i;
        }
      });
    }
    const w = state?.windowWidth !== undefined ? { center: state.windowCenter ?? 0, width: state.windowWidth } : undefined;
    closeMpr(index ?? Math.max(0, fromIndex), w);
  };

  const backRef = useRef(back);
  backRef.current = back;
  // The commands and hotkeys reach the open MPR through the session (session.mpr).
  useEffect(
    () =>
      session.showMpr({
        reset: () => controllerRef.current?.reset(),
        setWindow: (center, width) => controllerRef.current?.setWindow(center, width),
        resetWindow: () => controllerRef.current?.resetWindow(),
        close: () => backRef.current(),
      }),
    [session],
  );

  if (!displaySet) return <div className="center-message" dir={uiDir}>{t('loadingSeries')}</div>;
  if (verdict && !verdict.ok) {
    return (
      <div className="mpr-refused" role="alert" data-testid="mpr-refused" dir={uiDir}>
        {/* The reason is model/volume.ts's, in English: a precise geometric one (which image, how far off). */}
        <p>{t('mpr.refused', { reason: verdict.reason })}</p>
        <button type="button" onClick={() => closeMpr(Math.max(0, fromIndex))} data-testid="mpr-back">
          {t('mpr.backToStack')}
        </button>
      </div>
    );
  }
  // The controller's state is the truth (Reset and the slab handles change it too).
  const slab = { thickness: state?.slabThickness ?? 0, mode: state?.slabMode ?? ('mip' as SlabMode) };
  const applySlab = (next: { thickness: number; mode: SlabMode }) => controllerRef.current?.setSlab(next.thickness, next.mode);

  return (
    <div
      className="mpr"
      data-testid="mpr-view"
      data-status={state?.status ?? 'loading'}
      data-loaded={state?.loaded ?? 0}
      data-center={state?.center?.map((v) => v.toFixed(2)).join(',') ?? ''}
    >
      <div className="mpr-bar" dir={uiDir}>
        <button type="button" onClick={back} data-testid="mpr-back" title={t('mpr.backTitle')}>
          {t('mpr.stack')}
        </button>
        <label>
          {t('mpr.slab')}{' '}
          <input
            type="number"
            min={0}
            max={200}
            step={1}
            value={slab.thickness}
            aria-label={t('mpr.slabThickness')}
            data-testid="slab-thickness"
            onChange={(e) => applySlab({ ...slab, thickness: Math.max(0, Number(e.target.value) || 0) })}
          />{' '}
          {format.unit('mm')}
        </label>
        <select aria-label={t('mpr.slabMode')} data-testid="slab-mode" value={slab.mode} onChange={(e) => applySlab({ ...slab, mode: e.target.value as SlabMode })}>
          <option value="mip">MIP</option>
          <option value="minip">MinIP</option>
          <option value="average">{t('mpr.average')}</option>
        </select>
        <button type="button" onClick={() => controllerRef.current?.reset()} data-testid="mpr-reset">
          {t('mpr.reset')}
        </button>
        {state && state.loaded + state.failed < state.total && (
          <span className="muted" data-testid="mpr-progress">
            {t('mpr.loading', { n: format.digits(`${state.loaded}/${state.total}`) })}
          </span>
        )}
        {state && state.failed > 0 && (
          <span className="error-text" role="alert" data-testid="mpr-failed">
            {t('mpr.failed', { count: state.failed, failure: state.failure })}
          </span>
        )}
        {state?.status === 'error' && (
          <span className="error-text" role="alert">
            {t('mpr.error', { error: state.error })}
          </span>
        )}
        {state?.volume3d && (
          <select
            aria-label={t('mpr.preset3d')}
            data-testid="volume-preset"
            value={state.volume3d.preset}
            onChange={(e) => controllerRef.current?.setPreset(e.target.value as VolumePreset)}
          >
            {VOLUME_PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                3D: {t(`mpr.volumePreset.${p.id}`)}
              </option>
            ))}
          </select>
        )}
        {state?.volume3d?.software && (
          <span className="warning-text" data-testid="software-3d">
            {t('mpr.software')}
          </span>
        )}
        <span className="muted">
          {t(with3d ? 'mpr.hint3d' : 'mpr.hint')}
        </span>
      </div>
      {/* Like the stack grid: the planes keep their places in a right-to-left language (ViewerPage). */}
      <div className={`mpr-grid${with3d ? ' with-3d' : ''}`} dir="ltr">
        {MPR_PLANES.map((plane) => {
          const m = state?.mapping[plane];
          const at = m && state?.center ? planePosition(m, state.center as Vec3) : undefined;
          const labels = m ? edgeLabels(unit(m.right as Vec3), unit(m.down as Vec3)) : undefined;
          return (
            <div
              key={plane}
              className="viewport-pane mpr-pane"
              data-testid={`mpr-${plane}`}
              data-origin={m?.origin.join(',')}
              data-right={m?.right.join(',')}
              data-down={m?.down.join(',')}
              onContextMenu={(e) => e.preventDefault()}
            >
              <div ref={refs[plane]} className="viewport-element" />
              <div className="overlay top-left" data-testid="mpr-plane-label">
                {m && planeOfNormal(cross(m.right as Vec3, m.down as Vec3)) !== plane ? t('mpr.oblique', { plane: t(`mpr.plane.${plane}`) }) : t(`mpr.plane.${plane}`)}
              </div>
              <div className="overlay bottom-left">
                {at !== undefined && (
                  <div data-testid="mpr-position" dir="auto">
                    {t('mpr.position', { mm: format.digits(at.toFixed(1)), unit: format.unit('mm') })}
                  </div>
                )}
                {state?.windowWidth !== undefined && (
                  <div data-testid="mpr-wl" dir="auto">
                    {t('overlay.window', { width: format.digits(String(Math.round(state.windowWidth))), center: format.digits(String(Math.round(state.windowCenter ?? 0))) })}
                  </div>
                )}
                <div data-testid="mpr-slab" dir="auto">
                  {slab.thickness > 0
                    ? `${slab.mode === 'mip' ? 'MIP' : slab.mode === 'minip' ? 'MinIP' : t('mpr.average')} ${format.digits(String(slab.thickness))} ${format.unit('mm')}`
                    : t('mpr.thin')}
                </div>
              </div>
              <OrientationMarkers labels={labels} />
              {overlaid && state?.status === 'ready' && controllerRef.current && refs[plane].current && (
                <Suspense fallback={null}>
                  <SegmentationLayer
                    viewportId={controllerRef.current.viewportIdOf(plane)}
                    element={refs[plane].current}
                    seriesUID={seriesUID}
                    dataSource={dataSource}
                  />
                </Suspense>
              )}
            </div>
          );
        })}
        {with3d && (
          <div
            className="viewport-pane mpr-pane"
            data-testid="mpr-3d"
            data-quality={state?.volume3d?.quality}
            onContextMenu={(e) => e.preventDefault()}
          >
            <div ref={ref3d} className="viewport-element" />
            <div className="overlay top-left">3D</div>
            <div className="overlay bottom-left">
              {state?.volume3d ? t(`mpr.volumePreset.${state.volume3d.preset}`) : ''}
              {state?.volume3d?.shift ? ` ${state.volume3d.shift > 0 ? '+' : ''}${format.digits(String(Math.round(state.volume3d.shift)))} ${format.unit('HU')}` : ''}
            </div>
            {state?.volume3d?.quality === 'draft' && (
              <div className="overlay bottom-right" data-testid="quality-3d" dir="auto">
                {t('mpr.draft')}
              </div>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
