import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { imageIdsFor } from '../../../imaging';
// Directly, not through the imaging index: segmentations load with this chunk only.
import { SegFileError, segmentationBook, type OverlayStyle } from '../../../imaging/segmentations';
import type { Rgb } from '../../../model/segmentation';
import { clientFor } from '../../../store/config';
import { setsOver, useSegmentationStore, type OverlaySet } from '../../../store/segmentations';
import { useStudyStore } from '../../../store/study';
import { useImagingSession } from '../../viewer/controllers';

export interface SegmentationLayerProps {
  /** The Cornerstone viewport drawn over (a stack viewport or an MPR plane). */
  viewportId: string;
  element: HTMLElement;
  /** The series the viewport shows: the overlay sets made on it are drawn. */
  seriesUID: string;
  dataSource: string;
  /**
   * Readies the viewport to draw segmentations (a stack on the CPU pipeline moves to WebGL) or lets it go back;
   * resolves when it is ready.
   */
  prepare?: (drawing: boolean) => Promise<void>;
}

/**
 * The overlay sets made on a viewport's series, drawn in it as the segments panel says (store/segmentations), and
 * the segment under the pointer named. One per viewport; the sets themselves load once per viewer.
 */
export default function SegmentationLayer({ viewportId, element, seriesUID, dataSource, prepare }: SegmentationLayerProps) {
  const { t } = useTranslation('segments');
  const session = useImagingSession();
  const book = useMemo(() => segmentationBook(session), [session]);
  const allSets = useSegmentationStore((s) => s.sets);
  const sets = useMemo(() => setsOver(allSets, seriesUID), [allSets, seriesUID]);
  const hidden = useSegmentationStore((s) => s.hidden);
  const opacity = useSegmentationStore((s) => s.opacity);
  const mode = useSegmentationStore((s) => s.mode);
  const hovered = useSegmentationStore((s) => s.hovered[viewportId]);
  const displaySet = useStudyStore((s) => s.series[seriesUID]?.displaySet);
  const imageIds = useMemo(() => {
    const client = clientFor(dataSource);
    return client && displaySet ? imageIdsFor(client, displaySet.frames) : undefined;
  }, [dataSource, displaySet]);
  const [ready, setReady] = useState(!prepare);
  /** Sets drawn in this viewport. */
  const [drawn, setDrawn] = useState<readonly string[]>([]);

  // Load each set once per viewer (the book keeps them) and draw it here once loaded.
  const setKeys = sets.map((s) => s.id).join(' ');
  useEffect(() => {
    if (!ready || !imageIds) return;
    let live = true;
    const client = clientFor(dataSource);
    for (const set of sets) {
      if (!client) continue;
      book
        .load({
          id: set.id,
          fetch: () => client.retrieveInstance(set.studyUID, set.id, set.sopInstanceUID),
          referencedImageIds: imageIds,
          label: set.title,
          segments: set.segments,
          maxFractional: set.fractional ? set.maxFractional : undefined,
        })
        .then(
          () => {
            useSegmentationStore.getState().setStatus(set.id, 'ready');
            if (!live) return;
            book.show(viewportId, set.id, styleOf(set));
            setDrawn((d) => (d.includes(set.id) ? d : [...d, set.id]));
          },
          (e: unknown) => {
            const detail = e instanceof Error ? e.message : String(e);
            useSegmentationStore.getState().setStatus(set.id, 'error', e instanceof SegFileError ? t(`damaged.${e.reason}`, { detail }) : detail);
          },
        );
    }
    return () => {
      live = false;
      for (const set of sets) book.hide(viewportId, set.id);
      setDrawn([]);
    };
    // The sets' identities (setKeys), not their status, decide what is drawn.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, imageIds, setKeys, book, viewportId, dataSource]);

  // Declared after the drawing above, so that on the way out the sets leave the viewport before it goes back to its
  // own pipeline (React cleans effects up in order).
  useEffect(() => {
    if (!prepare) return;
    let live = true;
    void prepare(true).then(() => live && setReady(true));
    return () => {
      live = false;
      void prepare(false);
    };
  }, [prepare]);

  const styleOf = (set: OverlaySet): OverlayStyle => ({
    colors: new Map(set.segments.map((s) => [s.number, s.color] as [number, Rgb])),
    hidden: hidden[set.id] ?? [],
    opacity,
    mode,
  });

  // The reader's choices, applied as they change.
  useEffect(() => {
    for (const set of sets) if (drawn.includes(set.id)) book.style(viewportId, set.id, styleOf(set));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [hidden, opacity, mode, drawn, book, viewportId]);

  // The segment under the pointer.
  useEffect(() => {
    const setHovered = useSegmentationStore.getState().setHovered;
    const onMove = (e: MouseEvent) => {
      const rect = element.getBoundingClientRect();
      const state = useSegmentationStore.getState();
      const order = setsOver(state.sets, seriesUID).map((s) => ({ id: s.id, hidden: state.hidden[s.id] ?? [] }));
      const hit = book.segmentAt(viewportId, [e.clientX - rect.left, e.clientY - rect.top], order);
      const segment = hit && state.sets[hit.id]?.segments.find((s) => s.number === hit.segment);
      setHovered(viewportId, hit && segment ? { setId: hit.id, segment: hit.segment, label: segment.label } : undefined);
    };
    const onLeave = () => setHovered(viewportId, undefined);
    element.addEventListener('mousemove', onMove);
    element.addEventListener('mouseleave', onLeave);
    return () => {
      element.removeEventListener('mousemove', onMove);
      element.removeEventListener('mouseleave', onLeave);
      setHovered(viewportId, undefined);
    };
  }, [element, book, viewportId, seriesUID]);

  const failed = sets.filter((s) => s.status === 'error');
  return (
    <>
      {hovered && (
        <div className="overlay segment-hover" data-testid="overlay-segment">
          {hovered.label}
        </div>
      )}
      {sets.some((s) => s.status === 'loading') && (
        <div className="overlay segment-status" data-testid="overlay-segment-loading">
          {t('loading')}
        </div>
      )}
      {failed.map((s) => (
        <div key={s.id} className="viewport-message error" role="alert" data-testid="seg-error">
          {t('failed', { title: s.title, error: s.error })}
        </div>
      ))}
    </>
  );
}
