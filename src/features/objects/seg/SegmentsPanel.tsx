import { Eye, EyeOff, X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { SegmentInfo } from '../../../model/segmentation';
import { useSegmentationStore, type OverlaySet } from '../../../store/segmentations';

/**
 * The overlay sets open in the viewer (SEG segmentations), each segment with its recommended colour, label and
 * algorithm, to show or hide one by one or all at once; opacity and fill/outline for all of them.
 */
export default function SegmentsPanel() {
  const { t, i18n } = useTranslation('segments');
  const sets = useSegmentationStore((s) => s.sets);
  const opacity = useSegmentationStore((s) => s.opacity);
  const mode = useSegmentationStore((s) => s.mode);
  const { setOpacity, setMode } = useSegmentationStore.getState();
  const percent = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 });
  const list = Object.values(sets);
  if (list.length === 0) return null;
  return (
    <section className="segments-panel" data-testid="segments-panel" aria-label={t('panel.title')}>
      <header>
        <h2>{t('panel.title')}</h2>
      </header>
      {list.map((set) => (
        <OverlaySetItem key={set.id} set={set} />
      ))}
      <footer>
        <label>
          {t('panel.opacity')}{' '}
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={opacity}
            data-testid="segments-opacity"
            onChange={(e) => setOpacity(Number(e.target.value))}
          />{' '}
          <bdi>{percent.format(opacity)}</bdi>
        </label>
        <label>
          {t('panel.style')}{' '}
          <select value={mode} data-testid="segments-mode" onChange={(e) => setMode(e.target.value as 'fill' | 'outline')}>
            <option value="fill">{t('panel.fill')}</option>
            <option value="outline">{t('panel.outline')}</option>
          </select>
        </label>
      </footer>
    </section>
  );
}

function OverlaySetItem({ set }: { set: OverlaySet }) {
  const { t, i18n } = useTranslation('segments');
  const hidden = useSegmentationStore((s) => s.hidden[set.id]) ?? [];
  const { toggleSegment, setAllVisible, close } = useSegmentationStore.getState();
  const allHidden = set.segments.every((s) => hidden.includes(s.number));
  const half = new Intl.NumberFormat(i18n.language, { style: 'percent' }).format(0.5);
  return (
    <div className="overlay-set" data-testid="overlay-set" data-set-id={set.id} data-status={set.status}>
      <div className="overlay-set-head">
        <strong>
          <bdi>{set.title}</bdi>
        </strong>
        <span className="muted">
          {t('panel.segmentCount', { count: set.segments.length })}
          {set.status === 'loading' ? ` · ${t('panel.loading')}` : set.status === 'error' ? ` · ${t('panel.error')}` : ''}
        </span>
        <button type="button" data-testid="segments-toggle-all" onClick={() => setAllVisible(set.id, allHidden)}>
          {allHidden ? t('panel.showAll') : t('panel.hideAll')}
        </button>
        <button type="button" className="icon" aria-label={t('panel.close', { title: set.title })} title={t('panel.close', { title: set.title })} onClick={() => close(set.id)}>
          <X size={14} aria-hidden />
        </button>
      </div>
      {set.fractional && <p className="muted">{t('panel.fractional', { percent: half })}</p>}
      <ul>
        {set.segments.map((segment) => (
          <SegmentRow key={segment.number} segment={segment} visible={!hidden.includes(segment.number)} onToggle={() => toggleSegment(set.id, segment.number)} />
        ))}
      </ul>
    </div>
  );
}

function SegmentRow({ segment, visible, onToggle }: { segment: SegmentInfo; visible: boolean; onToggle: () => void }) {
  const { t } = useTranslation('segments');
  const [r, g, b] = segment.color;
  return (
    <li className={`segment-row${visible ? '' : ' hidden-segment'}`} data-testid="segment-row" data-segment={segment.number} data-color={`${r},${g},${b}`}>
      <button type="button" className="icon" aria-pressed={visible} aria-label={t('panel.show', { label: segment.label })} data-testid="segment-visible" onClick={onToggle}>
        {visible ? <Eye size={14} aria-hidden /> : <EyeOff size={14} aria-hidden />}
      </button>
      <span className="segment-swatch" style={{ background: `rgb(${r} ${g} ${b})` }} aria-hidden />
      <span className="segment-text">
        <bdi data-testid="segment-label">{segment.label}</bdi>
        {segment.algorithm && <small className="muted">{t('panel.algorithm', { name: segment.algorithm })}</small>}
      </span>
    </li>
  );
}
