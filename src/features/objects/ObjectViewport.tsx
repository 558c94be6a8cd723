import { lazy } from 'react';
import { useTranslation } from 'react-i18next';
import type { DisplaySet } from '../../model/types';
import { Deferred } from '../common/Deferred';
import { kindLook } from './kinds';

export interface ObjectViewProps {
  /** The series (its objects are `displaySet.objects`). */
  displaySet: DisplaySet;
  dataSource: string;
  /** The viewport's index in the grid. */
  index: number;
}

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

/** Each kind's viewer (React.lazy); undefined for the kinds this viewer has none for. */
function viewerFor(kind: Exclude<DisplaySet['kind'], 'image'>): React.ComponentType<ObjectViewProps> | undefined {
  switch (kind) {
    case 'seg':
      return SegView;
    default:
      return undefined;
  }
}

const SegView = lazy(() => import('./seg/SegView'));
