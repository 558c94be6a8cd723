import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { imageIdsFor, prefetchStack, StackController, type ProbeResult } from '../../imaging';
import { frameOrientation } from '../../model/displaySet';
import { formatPersonName } from '../../model/format';
import { useFormat } from '../common/useFormat';
import { ErrorText } from '../common/ErrorText';
import { clientFor } from '../../store/config';
import { useStudyStore } from '../../store/study';
import { isNavigationTool, useViewerStore, type ViewportSlot } from '../../store/viewer';
import { isNonImageModality } from '../../model/modalities';
import { useControllers, useImagingSession } from './controllers';
import { OrientationMarkers } from './OrientationMarkers';
import { ObjectViewport } from '../objects/ObjectViewport';
import { cineIntervalsMs } from '../../model/cine';
import { useViewStates } from '../../store/viewStates';
import { setsOver, useSegmentationStore } from '../../store/segmentations';

// Segmentations over the series shown: their code loads when a first one is opened.
const SegmentationLayer = lazy(() => import('../objects/seg/SegmentationLayer'));

export const SERIES_DRAG_TYPE = 'application/x-lumen-series';

interface Props {
  index: number;
  slot: ViewportSlot;
  /** Another viewport is shown alone: this one waits, hidden, as it was. */
  hidden?: boolean;
}

/**
 * Why a viewport is empty: every image series of the open studies is on screen already (the layout has more panes
 * than series), or the series are still being listed.
 */
function useEmptyReason(t: TFunction): string {
  return useStudyStore((s) => {
    const listed = s.studyUIDs.every((uid) => s.seriesOrder[uid]);
    const image = s.studyUIDs.flatMap((uid) => s.seriesOrder[uid] ?? []).filter((uid) => !isNonImageModality(s.series[uid]?.summary.modality));
    if (!listed) return t('dropSeries');
    const shown = new Set(useViewerStore.getState().slots.map((x) => x.seriesInstanceUID));
    if (image.length > 0 && image.every((uid) => shown.has(uid))) {
      return t(s.studyUIDs.length > 1 ? 'allShownStudies' : 'allShown', { count: image.length });
    }
    return t('dropSeries');
  });
}

/** One viewport: the Cornerstone element, its overlays, scrollbar and per-viewport errors. */
export function ViewportPane({ index, slot, hidden }: Props) {
  const elementRef = useRef<HTMLDivElement>(null);
  const [controller, setController] = useState<StackController>();
  const [probe, setProbe] = useState<ProbeResult>();
  const [dragOver, setDragOver] = useState(false);
  const controllers = useControllers();
  const session = useImagingSession();
  const { t } = useTranslation('viewer');
  const format = useFormat();
  const viewState = useViewStates((s) => s.states[index]);
  const setViewState = useViewStates((s) => s.set);
  const active = useViewerStore((s) => s.active === index);
  const setActive = useViewerStore((s) => s.setActive);
  const showSeries = useViewerStore((s) => s.showSeries);
  // Re-render on slot changes elsewhere, so the empty pane's reason is current.
  useViewerStore((s) => s.slots);
  const emptyReason = useEmptyReason(t);
  const seriesUID = slot.seriesInstanceUID;
  const entry = useStudyStore((s) => (seriesUID ? s.series[seriesUID] : undefined));
  const progress = useStudyStore((s) => (seriesUID ? s.progress[seriesUID] : undefined));
  const study = useStudyStore((s) => (entry ? s.studies[entry.summary.studyInstanceUID]?.summary : undefined));
  const dataSource = useStudyStore((s) => s.dataSource);
  // With priors open, each viewport says which study it shows: "Current" or "Prior", with the date.
  const role = useStudyStore((s) =>
    entry && s.studyUIDs.length > 1 ? (s.studyUIDs[0] === entry.summary.studyInstanceUID ? 'current' : 'prior') : undefined,
  );
  const loadSeries = useStudyStore((s) => s.loadSeries);
  const displaySet = entry?.displaySet;
  const overlaid = useSegmentationStore((s) => setsOver(s.sets, seriesUID).length > 0);
  const drawOnGpu = useCallback((on: boolean) => controller?.drawOnGpu(on) ?? Promise.resolve(), [controller]);
  // The stack's image ids (registering each frame's metadata with the loader), once per series for both effects below.
  const imageIds = useMemo(() => {
    const client = clientFor(dataSource);
    return displaySet && client ? imageIdsFor(client, displaySet.frames) : undefined;
  }, [displaySet, dataSource]);
  // Cine at the files' own timing (frame time or frame time vector), image by image.
  const cineIntervals = useMemo(() => (displaySet ? cineIntervalsMs(displaySet.frames) : undefined), [displaySet]);

  // Loading starts with the series, not with the viewport's drawing surface: the visible frame is on its way (and
  // decoding) while the viewport sets up WebGL, which takes a software renderer half a second. (Before the
  // controller's effect, so that on mount the request goes out first.)
  useEffect(() => {
    const client = clientFor(dataSource);
    if (!displaySet || !imageIds || imageIds.length === 0 || !client) return;
    const start = Math.min(slot.initialIndex ?? 0, imageIds.length - 1);
    const setProgress = useStudyStore.getState().setProgress;
    const seriesKey = displaySet.series.seriesInstanceUID;
    // Released when this viewport shows something else: what is already cached stays for a quick way back.
    return prefetchStack(seriesKey, imageIds, start, (p) => setProgress(seriesKey, p), client.bulkRetrieve());
  }, [displaySet, imageIds, dataSource, slot.initialIndex]);

  useEffect(() => {
    const element = elementRef.current!;
    const c = new StackController(session, element, `viewport-${index}`, (state) => setViewState(index, state));
    controllers.set(index, c);
    setController(c);
    return () => {
      controllers.delete(index);
      c.destroy();
    };
  }, [index, controllers, session, setViewState]);

  useEffect(() => {
    if (seriesUID && entry?.status === 'pending') void loadSeries(seriesUID);
  }, [seriesUID, entry?.status, loadSeries]);

  useEffect(() => {
    if (!controller || !imageIds) return;
    const start = Math.min(slot.initialIndex ?? 0, Math.max(0, imageIds.length - 1));
    const window = slot.initialWindow;
    let current = true;
    void controller.setStack(imageIds, start, cineIntervals).then(() => {
      if (window && current) controller.setWindow(window.center, window.width);
    });
    return () => {
      current = false;
    };
  }, [controller, imageIds, cineIntervals, slot.initialIndex, slot.initialWindow]);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragOver(false);
    const uid = e.dataTransfer.getData(SERIES_DRAG_TYPE);
    if (uid) showSeries(index, uid);
  };

  let message: ReactNode | undefined;
  let messageKind: 'info' | 'error' = 'info';
  if (!seriesUID) message = emptyReason;
  else if (entry?.status === 'error') {
    message = (
      <>
        {t('seriesFailed')}
        <ErrorText message={entry.error ?? ''} />
      </>
    );
    messageKind = 'error';
  } else if (!displaySet) message = t('loadingSeries');
  else if (displaySet.kind !== 'image' && displaySet.kind !== 'other') message = undefined; // its object viewer below
  else if (displaySet.frames.length === 0) message = displaySet.notes.map((n) => t(`note.${n.kind}`, { count: n.count ?? 0 })).join(t('noteSeparator'));
  else if (viewState?.status === 'error') {
    message = t('imageFailed', { n: viewState.imageIndex + 1, error: viewState.error });
    messageKind = 'error';
  }

  const total = displaySet?.frames.length ?? 0;
  const imageIndex = viewState?.imageIndex ?? 0;
  const frame = displaySet?.frames[imageIndex];
  // Without ImageOrientationPatient (secondary captures, photos) there is no patient direction to show.
  const labels = viewState?.status === 'ready' && frame && frameOrientation(frame) ? viewState.labels : undefined;

  return (
    <div
      className={`viewport-pane${active ? ' active' : ''}${dragOver ? ' drag-over' : ''}`}
      data-testid="viewport"
      data-viewport-index={index}
      data-status={viewState?.status ?? 'empty'}
      data-image-index={imageIndex}
      // The camera as the controller reports it (zoom 1 = fitted, pan in mm), for touch tests and support.
      data-zoom={viewState?.zoom}
      data-pan={viewState?.pan.map((v) => v.toFixed(2)).join(' ')}
      data-series-uid={seriesUID ?? ''}
      // The image and what is drawn on it never mirror: in a right-to-left language the overlays keep their corners,
      // the orientation markers their sides and the scrollbar its place (image 1 at the top, as the arrow keys go).
      dir="ltr"
      hidden={hidden}
      onPointerDown={() => setActive(index)}
      // Double-click: this viewport alone and back. Only with a navigation tool: measuring tools use double-clicks
      // themselves (ending a freehand line, editing a label).
      onDoubleClick={() => {
        const viewer = useViewerStore.getState();
        if (isNavigationTool(viewer.primaryTool)) viewer.toggleMaximized(index);
      }}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(SERIES_DRAG_TYPE)) {
          e.preventDefault();
          setDragOver(true);
        }
      }}
      onDragLeave={() => setDragOver(false)}
      onDrop={onDrop}
      onContextMenu={(e) => e.preventDefault()}
    >
      <div
        ref={elementRef}
        className="viewport-element"
        onMouseMove={(e) => {
          const rect = e.currentTarget.getBoundingClientRect();
          setProbe(controller?.probe(e.clientX - rect.left, e.clientY - rect.top));
        }}
        onMouseLeave={() => setProbe(undefined)}
      />
      {seriesUID && displaySet && total > 0 && (
        <>
          {role && (
            <div className={`viewport-study-label ${role}`} data-testid="viewport-study-label">
              <bdi>{role === 'current' ? t('current') : t('prior')}</bdi> <bdi>{study ? format.date(study.studyDate) : ''}</bdi>
            </div>
          )}
          <div className="overlay top-left" data-testid="overlay-patient">
            <div>
              <bdi>{study ? formatPersonName(study.patientName) : ''}</bdi>
            </div>
            <div>
              <bdi>{study?.patientId}</bdi>
            </div>
            <div dir="auto">{study ? format.date(study.studyDate) : ''}</div>
          </div>
          <div className="overlay top-right">
            <div data-testid="overlay-series">
              <bdi>{displaySet.series.description}</bdi>
            </div>
            <div dir="auto">
              {displaySet.series.modality}
              {displaySet.series.seriesNumber !== undefined ? ` · ${t('overlay.series', { n: format.digits(String(displaySet.series.seriesNumber)) })}` : ''}
              {frame && frame.instance.numberOfFrames > 1 ? ` · ${t('overlay.frame', { n: format.digits(`${frame.frameNumber}/${frame.instance.numberOfFrames}`) })}` : ''}
            </div>
          </div>
          <div className="overlay bottom-left">
            {probe && (
              <div data-testid="overlay-probe">
                {/* Pixel coordinates and values, as the image has them: X and Y are the image's axes in every language. */}
                X {format.digits(String(probe.column))} Y {format.digits(String(probe.row))} · {probe.values.map((v) => format.number(Math.round(v * 100) / 100, 2)).join(', ')}
                {probe.unit ? ` ${format.unit(probe.unit)}` : ''}
              </div>
            )}
            <div data-testid="overlay-image" dir="auto">
              {t('overlay.image', { n: format.digits(`${imageIndex + 1}/${total}`) })}
            </div>
            {viewState?.windowWidth !== undefined && (
              <div data-testid="overlay-wl" dir="auto">
                {t('overlay.window', { width: format.digits(String(Math.round(viewState.windowWidth))), center: format.digits(String(Math.round(viewState.windowCenter ?? 0))) })}
              </div>
            )}
          </div>
          <div className="overlay bottom-right">
            {progress && progress.loaded + progress.failed < progress.total && (
              <div data-testid="overlay-progress" dir="auto">
                {t('overlay.loading', { n: format.digits(`${progress.loaded}/${progress.total}`) })}
              </div>
            )}
            {progress && progress.failed > 0 && (
              <div className="error-text" dir="auto">
                {t('overlay.failed', { count: progress.failed, n: format.digits(String(progress.failed)) })}
              </div>
            )}
            {viewState && (
              <div data-testid="overlay-zoom" dir="auto">
                {t('overlay.zoom', { percent: format.digits(String(Math.round(viewState.zoom * 100))) })}
              </div>
            )}
            {viewState?.invert && <div dir="auto">{t('overlay.inverted')}</div>}
            {viewState?.cinePlaying && <div dir="auto">{t('overlay.cine')}</div>}
          </div>
          <OrientationMarkers labels={labels} />
          {total > 1 && (
            <input
              className="stack-scrollbar"
              type="range"
              aria-label={t('overlay.scrollbar')}
              data-testid="stack-scrollbar"
              min={0}
              max={total - 1}
              value={imageIndex}
              onChange={(e) => void controller?.setImageIndex(Number(e.target.value))}
            />
          )}
        </>
      )}
      {overlaid && controller && seriesUID && displaySet?.kind === 'image' && (
        <Suspense fallback={null}>
          <SegmentationLayer
            viewportId={controller.viewportId}
            element={controller.viewportElement}
            seriesUID={seriesUID}
            dataSource={dataSource}
            prepare={drawOnGpu}
          />
        </Suspense>
      )}
      {seriesUID && displaySet && displaySet.kind !== 'image' && displaySet.kind !== 'other' && (
        <ObjectViewport key={seriesUID} displaySet={displaySet} dataSource={dataSource} index={index} />
      )}
      {message && (
        <div className={`viewport-message ${messageKind}`} role={messageKind === 'error' ? 'alert' : undefined} data-testid="viewport-message" dir="auto">
          {message}
        </div>
      )}
    </div>
  );
}
