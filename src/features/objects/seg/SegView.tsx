import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { segInfo } from '../../../model/segmentation';
import { useSegmentationStore } from '../../../store/segmentations';
import { useStudyStore } from '../../../store/study';
import { useViewerStore } from '../../../store/viewer';
import type { DisplaySet } from '../../../model/types';

/**
 * A SEG series put in a viewport (click, drag, deep link): the viewport shows the images the segmentation was made
 * on, with the segmentation over them (store/segmentations, drawn by SegmentationLayer). A SEG whose images are not
 * open says so here.
 */
// The props ObjectViewport gives each viewer (its ObjectViewProps; not imported, which would be a cycle).
export default function SegView({ displaySet, index }: { displaySet: DisplaySet; index: number }) {
  const { t } = useTranslation('segments');
  const instance = displaySet.objects[0];
  const info = useMemo(() => (instance ? segInfo(instance.raw) : undefined), [instance]);
  const referenced = info?.referencedSeriesUID;
  const present = useStudyStore((s) => (referenced ? s.series[referenced] !== undefined : false));

  useEffect(() => {
    if (!instance || !info || !referenced || !present) return;
    const series = displaySet.series;
    useSegmentationStore.getState().open({
      id: series.seriesInstanceUID,
      kind: 'seg',
      studyUID: series.studyInstanceUID,
      sopInstanceUID: instance.sopInstanceUID,
      referencedSeriesUID: referenced,
      title: series.description || t('untitled'),
      segments: info.segments,
      fractional: info.fractional,
      maxFractional: info.maxFractional,
    });
    useViewerStore.getState().showSeries(index, referenced);
  }, [instance, info, referenced, present, displaySet.series, index, t]);

  if (!instance || !info) return <Message text={t('empty')} />;
  if (!referenced) return <Message text={t('noReference')} error />;
  if (!present) return <Message text={t('missingReference', { series: referenced })} error />;
  return <Message text={t('opening')} />;
}

function Message({ text, error }: { text: string; error?: boolean }) {
  return (
    <div className={`viewport-message${error ? ' error' : ''}`} role={error ? 'alert' : undefined} data-testid="seg-message">
      {text}
    </div>
  );
}
