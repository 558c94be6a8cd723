import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { freeReaderSlot, MAX_PRESETS, SITE_PRESET_SLOTS, type WindowPreset } from '../../model/windowPresets';
import { useFormat } from '../common/useFormat';
import { useConfigStore } from '../../store/config';
import { usePreferencesStore } from '../../store/preferences';
import { usePromptStore } from '../../store/prompt';
import { useStudyStore } from '../../store/study';
import { useViewerStore } from '../../store/viewer';
import { useViewStates } from '../../store/viewStates';
import { presetNow } from './commands';

const SAVE = 'save';

/** "W 400 L 40", as the viewport overlays say it (in English; useWindowText in the reader's language). */
export const windowText = (p: { center: number; width: number }) => `W ${p.width} L ${p.center}`;

/** windowText in the reader's language and digits, as the overlays say it. */
export function useWindowText(): (p: { center: number; width: number }) => string {
  const { t } = useTranslation('viewer');
  const format = useFormat();
  return (p) => t('overlay.window', { width: format.digits(String(p.width)), center: format.digits(String(p.center)) });
}

/** A preset's name: the built-in ones (soft tissue, lung…) in the reader's language; a site's or reader's as typed. */
export const presetLabel = (p: WindowPreset, t: TFunction): string => ('id' in p && typeof p.id === 'string' ? t(`viewer:preset.${p.id}`, { defaultValue: p.label }) : p.label);

/**
 * The W/L presets of the image on screen (the number keys'), the image's own window, and "save the current window"
 * into the reader's first free key of 6–9.
 */
export function PresetPicker({ run }: { run: (id: string) => void }) {
  // Subscriptions only: presetNow reads the stores when rendering.
  useConfigStore((s) => s.config?.windowPresets);
  const reader = usePreferencesStore((s) => s.readerPresets);
  const activeSeries = useViewerStore((s) => s.mpr?.seriesInstanceUID ?? s.slots[s.active]?.seriesInstanceUID);
  useStudyStore((s) => (activeSeries ? s.series[activeSeries]?.summary.modality : undefined));
  const mpr = useViewerStore((s) => !!s.mpr);
  const activeWindow = useViewStates((s) => {
    const st = s.states[useViewerStore.getState().active];
    return st?.windowWidth !== undefined ? `${Math.round(st.windowCenter ?? 0)}/${Math.round(st.windowWidth)}` : undefined;
  });
  const free = freeReaderSlot(reader);
  const { t } = useTranslation('viewer');
  const shown = useWindowText();

  const save = async () => {
    const st = useViewStates.getState().states[useViewerStore.getState().active];
    if (st?.windowWidth === undefined || free < 0) return;
    const center = Math.round(st.windowCenter ?? 0);
    const width = Math.round(st.windowWidth);
    const label = (await usePromptStore.getState().ask(t('presets.name', { n: SITE_PRESET_SLOTS + free + 1, window: shown({ center, width }) }), ''))?.trim();
    if (!label) return;
    usePreferencesStore.getState().setReaderPreset(free, { label, center, width });
  };

  return (
    <select
      aria-label={t('presets.menu')}
      data-testid="preset-select"
      value=""
      onChange={(e) => {
        const v = e.target.value;
        if (v === SAVE) void save();
        else if (v) run(v);
      }}
    >
      <option value="">{t('presets.placeholder')}</option>
      {Array.from({ length: MAX_PRESETS }, (_, i) => {
        const p = presetNow(i + 1);
        return p ? (
          <option key={i} value={`preset.${i + 1}`}>
            {i + 1} {presetLabel(p, t)} ({shown(p)})
          </option>
        ) : null;
      })}
      <option value="preset.default">0 {t('presets.fromImage')}</option>
      <option value={SAVE} disabled={mpr || free < 0 || !activeWindow}>
        {free < 0 ? t('presets.full') : mpr ? t('presets.fromStack') : t('presets.save', { n: SITE_PRESET_SLOTS + free + 1 })}
      </option>
    </select>
  );
}
