import type { LucideIcon } from 'lucide-react';
import { Images, Timer } from 'lucide-react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useStudyStore } from '../../store/study';
import { useViewerStore, type PrimaryToolName } from '../../store/viewer';
import { usePreferencesStore } from '../../store/preferences';
import { commandById, keysOf, MEASURE_TOOLS, presetNow, type CommandContext } from './commands';
import { commandLabel, keyLabel } from './commandText';
import { useAllowed } from '../app/Account';
import { LOCAL_SOURCE_NAME } from '../../local/localSource';
import { useViewStates } from '../../store/viewStates';
import { LayoutPicker } from './LayoutPicker';
import { PresetPicker, presetLabel, windowText } from './PresetPicker';
import { MAX_PRESETS } from '../../model/windowPresets';
import { MenuButton, type MenuItem } from '../common/MenuButton';
import { COMMAND_ICONS, ICONS } from './icons';
import type { MeasurementKind } from '../../model/measurements';

const keyHint = (keys: readonly string[], t: TFunction) => (keys.length ? ` (${keys.map((k) => keyLabel(k, t)).join(', ')})` : '');

/** The navigation tools: what one finger or the left button does when nothing is measured. */
const TOOLS: { id: PrimaryToolName; command: string }[] = [
  { id: 'windowLevel', command: 'tool.windowLevel' },
  { id: 'pan', command: 'tool.pan' },
  { id: 'zoom', command: 'tool.zoom' },
  { id: 'scroll', command: 'tool.scroll' },
];

/** The measurement tools shown as buttons; the others are in the "more measurements" menu. */
const COMMON_MEASURES = new Set<MeasurementKind>(['Length', 'Angle', 'Bidirectional', 'EllipticalROI', 'RectangleROI']);

/** Rotation and flips: in one menu. */
const ORIENT = ['view.rotateLeft', 'view.rotateRight', 'view.flipH', 'view.flipV'];

const SYNC: { command: string; key: 'scroll' | 'windowLevel' | 'zoomPan' | 'referenceLines' }[] = [
  { command: 'sync.scroll', key: 'scroll' },
  { command: 'sync.windowLevel', key: 'windowLevel' },
  { command: 'sync.zoomPan', key: 'zoomPan' },
  { command: 'sync.referenceLines', key: 'referenceLines' },
];

interface Props {
  context: () => CommandContext;
  onShowTags: () => void;
  onShowHelp: () => void;
  onShowSettings: () => void;
  onShare: () => void;
  onExport: () => void;
  /**
   * Phones: the series sheet's button and the navigation tools; the rest (W/L presets, reset, measuring, views,
   * dialogs) in one menu.
   */
  compact?: { seriesOpen: boolean; onToggleSeries: () => void };
}

/**
 * The viewer's toolbar: icons with tooltips and accessible names (the commands' labels), grouped as readers look
 * for them (navigation, window, measure, view, layout, compare and sync, dialogs), less-used tools in menus. Icons
 * do not grow with translated labels, so it keeps to one row on a 1280-pixel screen.
 */
export function Toolbar({ context, onShowTags, onShowHelp, onShowSettings, onShare, onExport, compact }: Props) {
  // With sign-in, Export shows for accounts that may export (or upload the local files shown).
  const local = useStudyStore((s) => s.dataSource) === LOCAL_SOURCE_NAME;
  const mayExportAny = useAllowed('export');
  const mayUpload = useAllowed('upload');
  const mayExport = mayExportAny || (local && mayUpload);
  const { primaryTool, cineFps, setCineFps, cineFileRate, setCineFileRate, active, readOnly, mpr, sync, links } = useViewerStore();
  const bindings = usePreferencesStore((s) => s.keyBindings);
  const cinePlaying = useViewStates((s) => s.states[active]?.cinePlaying ?? false);
  const { t } = useTranslation('viewer');
  const run = (id: string) => commandById(id).run(context());
  const labelOf = (id: string) => commandLabel(commandById(id), t);
  const tooltip = (id: string) => {
    const c = commandById(id);
    return commandLabel(c, t) + keyHint(keysOf(c, bindings), t);
  };

  /** A toolbar button for a command: its icon, its label as name and tooltip (with its keys). */
  const button = (id: string, pressed?: boolean, icon: LucideIcon | undefined = COMMAND_ICONS[id], label = labelOf(id)) => {
    const Icon = icon!;
    return (
      <button
        key={id}
        type="button"
        className="icon-button"
        title={label === labelOf(id) ? tooltip(id) : label}
        aria-label={label}
        aria-pressed={pressed}
        data-command={id}
        onClick={() => run(id)}
      >
        <Icon aria-hidden="true" size={18} />
      </button>
    );
  };
  /** A plain action button (not a command): icon, name and tooltip. */
  const action = (testId: string, label: string, icon: LucideIcon, onClick: () => void, title = label) => {
    const Icon = icon;
    return (
      <button key={testId} type="button" className="icon-button" aria-label={label} title={title} data-testid={testId} onClick={onClick}>
        <Icon aria-hidden="true" size={18} />
      </button>
    );
  };
  const item = (id: string, kind: MenuItem['kind'] = 'item', checked?: boolean, onSelect = () => run(id)): MenuItem => ({
    key: id,
    label: labelOf(id),
    icon: COMMAND_ICONS[id],
    title: tooltip(id),
    kind,
    checked,
    command: id,
    onSelect,
  });

  const measureItems = MEASURE_TOOLS.map((t) => item(`tool.${t.kind}`, 'radio', primaryTool === t.kind));
  const moreMeasures = measureItems.filter((_, i) => !COMMON_MEASURES.has(MEASURE_TOOLS[i]!.kind));
  const syncItems: MenuItem[] = [
    ...SYNC.map((s) => item(s.command, 'checkbox', sync[s.key])),
    item('sync.link', 'checkbox', Object.keys(links).length > 0),
  ];
  const cineLabel = cinePlaying ? t('toolbar.stopCine') : t('toolbar.playCine');
  const fileRateTitle = t('toolbar.fileRateTitle');
  const dialogs: { testId: string; label: string; icon: LucideIcon; onClick: () => void; title?: string; shown?: boolean }[] = [
    { testId: 'show-tags', label: t('toolbar.tags'), icon: COMMAND_ICONS['dialog.tags']!, onClick: onShowTags, title: tooltip('dialog.tags') },
    { testId: 'share', label: t('toolbar.share'), icon: ICONS.Share2, onClick: onShare, title: t('toolbar.shareTitle') },
    {
      testId: 'export',
      label: t('toolbar.export'),
      icon: ICONS.Download,
      onClick: onExport,
      title: t('toolbar.exportTitle'),
      shown: mayExport,
    },
    { testId: 'show-settings', label: t('toolbar.settings'), icon: COMMAND_ICONS['dialog.settings']!, onClick: onShowSettings, title: tooltip('dialog.settings') },
    { testId: 'show-help', label: t('toolbar.help'), icon: ICONS.CircleHelp, onClick: onShowHelp, title: tooltip('dialog.help') },
  ];

  if (compact) {
    // One menu for everything else; its items keep the toolbar's data-command and test ids.
    const presets = Array.from({ length: MAX_PRESETS }, (_, i) => i + 1).flatMap((n): MenuItem[] => {
      const p = presetNow(n);
      return p ? [{ ...item(`preset.${n}`), label: `${presetLabel(p, t)} (${windowText(p)})` }] : [];
    });
    const more: MenuItem[] = [
      ...presets,
      item('preset.default'),
      item('view.reset'),
      ...(readOnly ? [] : measureItems),
      item('view.invert'),
      item('view.fit'),
      ...ORIENT.map((id) => item(id)),
      { ...item('view.mpr', 'checkbox', !!mpr) },
      { ...item('cine.toggle', 'checkbox', cinePlaying), label: cineLabel, icon: cinePlaying ? ICONS.SquareStop : ICONS.Play },
      {
        key: 'cine-file-rate',
        label: t('toolbar.fileRate'),
        icon: Timer,
        title: fileRateTitle,
        kind: 'checkbox',
        checked: cineFileRate,
        testId: 'cine-file-rate',
        onSelect: () => setCineFileRate(!cineFileRate),
      },
      ...syncItems,
      item('compare.prior'),
      ...dialogs.filter((d) => d.shown !== false).map((d): MenuItem => ({ key: d.testId, label: d.label, icon: d.icon, title: d.title, testId: d.testId, onSelect: d.onClick })),
    ];
    return (
      <div className="toolbar compact" role="toolbar" aria-label={t('toolbar.label')} data-testid="toolbar">
        <button
          type="button"
          className="icon-button with-text"
          aria-expanded={compact.seriesOpen}
          aria-controls="series-sheet"
          data-testid="series-sheet-button"
          onClick={compact.onToggleSeries}
        >
          <Images aria-hidden="true" size={18} />
          <span>Series</span>
        </button>
        <div className="group" role="group" aria-label={t('toolbar.group.navigation')}>
          {TOOLS.map((t) => button(t.command, primaryTool === t.id))}
        </div>
        <MenuButton label={t('toolbar.moreTools')} icon={ICONS.Ellipsis} items={more} testId="more-tools" active={!readOnly && MEASURE_TOOLS.some((t) => t.kind === primaryTool)} />
      </div>
    );
  }

  return (
    <div className="toolbar" role="toolbar" aria-label={t('toolbar.label')} data-testid="toolbar">
      <div className="group" role="group" aria-label={t('toolbar.group.navigation')}>
        {TOOLS.map((t) => button(t.command, primaryTool === t.id))}
      </div>
      <div className="group" role="group" aria-label={t('toolbar.group.window')}>
        <PresetPicker run={run} />
        {button('view.invert')}
      </div>
      {!readOnly && (
        <div className="group" role="group" aria-label={t('toolbar.group.measure')} data-testid="measure-tools">
          {MEASURE_TOOLS.filter((t) => COMMON_MEASURES.has(t.kind)).map((t) => button(`tool.${t.kind}`, primaryTool === t.kind))}
          <MenuButton
            label={t('toolbar.moreMeasures')}
            icon={ICONS.Ellipsis}
            items={moreMeasures}
            testId="more-measure-tools"
            active={moreMeasures.some((m) => m.checked)}
          />
        </div>
      )}
      <div className="group" role="group" aria-label={t('toolbar.group.view')}>
        {button('view.reset')}
        {button('view.fit')}
        <MenuButton label={t('toolbar.orient')} icon={COMMAND_ICONS['view.rotateRight']!} items={ORIENT.map((id) => item(id))} testId="orient-menu" />
      </div>
      <div className="group" role="group" aria-label={t('toolbar.group.layout')}>
        <LayoutPicker run={run} />
        {button('view.mpr', !!mpr)}
        {button('cine.toggle', cinePlaying, cinePlaying ? ICONS.SquareStop : ICONS.Play, cineLabel)}
        {/* A number only (its name and tooltip say what it is), so that no word widens the toolbar. */}
        <input
          className="fps"
          type="number"
          min={1}
          max={60}
          value={cineFps}
          aria-label={t('toolbar.fps')}
          title={t('toolbar.fps')}
          onChange={(e) => setCineFps(Number(e.target.value) || 1)}
        />
        <button
          type="button"
          className="icon-button"
          aria-pressed={cineFileRate}
          aria-label={t('toolbar.fileRate')}
          title={fileRateTitle}
          data-testid="cine-file-rate"
          onClick={() => setCineFileRate(!cineFileRate)}
        >
          <Timer aria-hidden="true" size={18} />
        </button>
      </div>
      <div className="group" role="group" aria-label={t('toolbar.group.compare')}>
        <span data-testid="sync-tools" className="sync-group">
          <MenuButton label={t('toolbar.sync')} icon={ICONS.Link} items={syncItems} testId="sync-menu" />
        </span>
        {action('compare-prior', labelOf('compare.prior'), COMMAND_ICONS['compare.prior']!, () => run('compare.prior'), tooltip('compare.prior'))}
      </div>
      <div className="group end" role="group" aria-label={t('toolbar.group.tools')}>
        {dialogs.filter((d) => d.shown !== false).map((d) => action(d.testId, d.label, d.icon, d.onClick, d.title))}
      </div>
    </div>
  );
}
