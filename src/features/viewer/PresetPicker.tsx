import { freeReaderSlot, MAX_PRESETS, SITE_PRESET_SLOTS } from '../../model/windowPresets';
import { useConfigStore } from '../../store/config';
import { usePreferencesStore } from '../../store/preferences';
import { usePromptStore } from '../../store/prompt';
import { useStudyStore } from '../../store/study';
import { useViewerStore } from '../../store/viewer';
import { useViewStates } from '../../store/viewStates';
import { presetNow } from './commands';

const SAVE = 'save';

/** "W 400 L 40", as the viewport overlays say it. */
export const windowText = (p: { center: number; width: number }) => `W ${p.width} L ${p.center}`;

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

  const save = async () => {
    const st = useViewStates.getState().states[useViewerStore.getState().active];
    if (st?.windowWidth === undefined || free < 0) return;
    const center = Math.round(st.windowCenter ?? 0);
    const width = Math.round(st.windowWidth);
    const label = (await usePromptStore.getState().ask(`Name W/L preset ${SITE_PRESET_SLOTS + free + 1} (${windowText({ center, width })})`, ''))?.trim();
    if (!label) return;
    usePreferencesStore.getState().setReaderPreset(free, { label, center, width });
  };

  return (
    <select
      aria-label="Window preset"
      data-testid="preset-select"
      value=""
      onChange={(e) => {
        const v = e.target.value;
        if (v === SAVE) void save();
        else if (v) run(v);
      }}
    >
      <option value="">W/L preset…</option>
      {Array.from({ length: MAX_PRESETS }, (_, i) => {
        const p = presetNow(i + 1);
        return p ? (
          <option key={i} value={`preset.${i + 1}`}>
            {i + 1} {p.label} ({windowText(p)})
          </option>
        ) : null;
      })}
      <option value="preset.default">0 From the image</option>
      <option value={SAVE} disabled={mpr || free < 0 || !activeWindow}>
        {free < 0
          ? 'Keys 6–9 are taken: remove one in Settings (⚙)'
          : mpr
            ? 'Save a window as a preset: from a stack'
            : `Save this window as preset ${SITE_PRESET_SLOTS + free + 1}…`}
      </option>
    </select>
  );
}
