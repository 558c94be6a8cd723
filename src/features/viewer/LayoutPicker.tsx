import { useEffect, useMemo, useRef, useState } from 'react';
import { LayoutGrid } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { applicableProtocols, hangByProtocol } from '../../app/protocols';
import { useStudyStore } from '../../store/study';
import { useViewerStore } from '../../store/viewer';

/** The largest grid the picker offers (links and share links carry up to 3×3 too). */
const MAX = 3;

interface Props {
  /** Runs a command by id (MPR opens and closes through the command, which hands the slice over). */
  run: (id: string) => void;
}

/**
 * The layout button and its panel: a grid to sweep (hover or focus a cell for rows×columns, click to choose), and
 * beside it the hanging protocols that fit the open studies and the MPR layouts.
 */
export function LayoutPicker({ run }: Props) {
  const { layout, mpr, protocol, maximized } = useViewerStore();
  const [open, setOpen] = useState(false);
  const [hover, setHover] = useState<{ rows: number; cols: number }>();
  const root = useRef<HTMLDivElement>(null);
  const { t } = useTranslation('viewer');
  // Re-evaluated when series lists or metadata change (orientation), or priors open.
  const seriesOrder = useStudyStore((s) => s.seriesOrder);
  const series = useStudyStore((s) => s.series);
  const protocols = useMemo(() => applicableProtocols(), [seriesOrder, series]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('pointerdown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('pointerdown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const value = mpr ? (mpr.with3d ? 'mpr3d' : 'mpr') : `${layout.rows}x${layout.cols}`;
  const protocolName = protocol ? t(`layout.protocol.${protocol.id}`, { defaultValue: protocol.name }) : '';
  const shown = mpr ? (mpr.with3d ? t('layout.mpr3d') : t('layout.mpr')) : `${layout.rows}×${layout.cols}${maximized !== undefined ? t('layout.oneShown') : ''}`;

  const chooseGrid = (rows: number, cols: number) => {
    setOpen(false);
    if (useViewerStore.getState().mpr) run('view.mpr');
    useViewerStore.getState().setLayout({ rows, cols });
  };
  const chooseMpr = (with3d: boolean) => {
    setOpen(false);
    if (!useViewerStore.getState().mpr) run('view.mpr');
    useViewerStore.getState().setMpr3d(with3d);
  };
  const preview = hover ?? (mpr ? undefined : layout);

  return (
    <div className="layout-picker-root" ref={root}>
      <button
        type="button"
        aria-haspopup="dialog"
        aria-expanded={open}
        className="icon-button with-text"
        title={`${t('layout.title')}: ${shown}${protocol ? ` · ${protocolName}` : ''}`}
        aria-label={`${t('layout.title')}: ${shown}${protocol ? ` · ${protocolName}` : ''}`}
        data-testid="layout-button"
        data-value={value}
        data-protocol={protocol?.id ?? ''}
        onClick={() => setOpen(!open)}
      >
        <LayoutGrid aria-hidden="true" size={18} />
        {/* The grid only: the protocol's name (any length, any language) is in the tooltip, so the toolbar keeps its width. */}
        <span aria-hidden="true">{mpr ? (mpr.with3d ? 'MPR+3D' : 'MPR') : `${layout.rows}×${layout.cols}`}</span>
      </button>
      {open && (
        <div className="layout-picker" role="dialog" aria-label={t('layout.label')} data-testid="layout-picker">
          <div className="layout-grid-block">
            <div className="layout-grid" onMouseLeave={() => setHover(undefined)}>
              {Array.from({ length: MAX * MAX }, (_, i) => {
                const rows = Math.floor(i / MAX) + 1;
                const cols = (i % MAX) + 1;
                const lit = !!preview && rows <= preview.rows && cols <= preview.cols;
                return (
                  <button
                    key={i}
                    type="button"
                    className={`layout-cell${lit ? ' lit' : ''}`}
                    aria-label={`${rows}×${cols}`}
                    data-layout={`${rows}x${cols}`}
                    onMouseEnter={() => setHover({ rows, cols })}
                    onFocus={() => setHover({ rows, cols })}
                    onClick={() => chooseGrid(rows, cols)}
                  />
                );
              })}
            </div>
            <div className="layout-caption" data-testid="layout-caption">
              {preview ? `${preview.rows} × ${preview.cols}` : t('layout.choose')}
            </div>
          </div>
          <div className="layout-options">
            {protocols.length > 0 && (
              <>
                <div className="muted">{t('layout.protocols')}</div>
                {protocols.map((p) => (
                  <button
                    key={p.id}
                    type="button"
                    aria-pressed={protocol?.id === p.id}
                    data-protocol-id={p.id}
                    onClick={() => {
                      setOpen(false);
                      hangByProtocol(p.id);
                    }}
                  >
                    <bdi>{t(`layout.protocol.${p.id}`, { defaultValue: p.name })}</bdi>
                  </button>
                ))}
              </>
            )}
            <div className="muted">{t('layout.reformat')}</div>
            <button type="button" data-layout="mpr" aria-pressed={value === 'mpr'} onClick={() => chooseMpr(false)}>
              {t('layout.mpr')} (1×3)
            </button>
            <button type="button" data-layout="mpr3d" aria-pressed={value === 'mpr3d'} onClick={() => chooseMpr(true)}>
              {t('layout.mpr3d')} (2×2)
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
