import { lazy } from 'react';
import { useTranslation } from 'react-i18next';
import type { DisplaySet } from '../../model/types';
import { Deferred } from '../common/Deferred';
import { kindLook } from './kinds';
import type { ObjectViewProps } from './objectViewProps';

// In a module of its own: the viewers import it, and this module imports the viewers (lazily, but a cycle still).
export type { ObjectViewProps } from './objectViewProps';

/**
 * A viewport showing a series of objects that are not stack images: each kind's viewer is a chunk of its own, loaded
 * when a series of that kind is first opened (nothing before the first image). A viewer that fails says so here; the
 * other viewports keep working.
 */
export function ObjectViewport(props: ObjectViewProps) {
  const { displaySet } = props;
  const { t } = useTranslation('objects');
  const kind = displaySet.kind;
  if (kind === 'image') return null;
  const label = t(kindLook(kind).label);
  const View = viewerFor(kind);
  if (!View) {
    return (
      <div className="viewport-message info" data-testid="object-unsupported">
        {t('unsupported', { what: label })}
      </div>
    );
  }
  return (
    <div className="object-viewport" data-testid="object-viewport" data-kind={kind}>
      <Deferred what={label} loading={<div className="viewport-message">{t('opening', { what: label })}</div>}>
        <View {...props} />
      </Deferred>
    </div>
  );
}

const VideoViewer = lazy(() => import('./video/VideoViewer'));
const WaveformView = lazy(() => import('./waveform/WaveformView'));
// Reports and documents (features/documents): one chunk each.
const SrView = lazy(() => import('../documents/SrView'));
const KoView = lazy(() => import('../documents/KoView'));
const PdfView = lazy(() => import('../documents/PdfView'));
const CdaView = lazy(() => import('../documents/CdaView'));

/** Each kind's viewer (React.lazy); undefined for the kinds this viewer has none for. */
function viewerFor(kind: Exclude<DisplaySet['kind'], 'image'>): React.ComponentType<ObjectViewProps> | undefined {
  switch (kind) {
    case 'video':
      return VideoViewer;
    case 'waveform':
      return WaveformView;
    case 'sr':
      return SrView;
    case 'ko':
      return KoView;
    case 'pdf':
      return PdfView;
    case 'cda':
      return CdaView;
    case 'seg':
      return SegView;
    default:
      return undefined;
  }
}

const SegView = lazy(() => import('./seg/SegView'));
