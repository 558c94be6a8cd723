import { create } from 'zustand';
import { LANGUAGES, type Language } from '../i18n/languages';
import { READER_PRESET_SLOTS, readerPresetSchema, type WindowPreset } from '../model/windowPresets';
import { z } from '../zod';

/**
 * The reader's preferences, kept in this browser's localStorage: rebound keys, the reader's own window presets
 * (keys 6–9), which side panels are collapsed and the language chosen in the menu. Numbers, key names and preset names the reader typed only:
 * never anything about a patient or a study. Written only when the reader changes something, so a browser that
 * never did holds nothing.
 */
export const PREFERENCES_KEY = 'lumen.preferences';

export type PanelName = 'series' | 'measurements';

const keySchema = z.string().check(z.minLength(1), z.maxLength(32));
const storedSchema = z.object({
  version: z.literal(1),
  /** Command id → its keys, for the commands the reader rebound (others keep their defaults). */
  keyBindings: z._default(z.record(z.string().check(z.regex(/^[\w.-]{1,64}$/)), z.array(keySchema).check(z.maxLength(4))), {}),
  readerPresets: z._default(z.array(z.nullable(readerPresetSchema)).check(z.maxLength(READER_PRESET_SLOTS)), []),
  collapsed: z._default(z.object({ series: z._default(z.boolean(), false), measurements: z._default(z.boolean(), false) }), {
    series: false,
    measurements: false,
  }),
  /** Absent until the reader picks one in the language menu: the browser's language is used. */
  language: z.optional(z.enum(LANGUAGES)),
});

export interface Preferences {
  keyBindings: Record<string, string[]>;
  /** Index 0 is key 6. */
  readerPresets: (WindowPreset | null)[];
  collapsed: Record<PanelName, boolean>;
  language?: Language;
}

const DEFAULTS: Preferences = { keyBindings: {}, readerPresets: [], collapsed: { series: false, measurements: false } };

function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined; // storage disabled by the browser's settings
  }
}

/** What this browser holds; defaults when nothing or something unreadable is there (a hand edit, another version). */
export function loadPreferences(from = storage()): Preferences {
  const raw = from?.getItem(PREFERENCES_KEY);
  if (!raw) return structuredClone(DEFAULTS);
  try {
    const parsed = storedSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) return structuredClone(DEFAULTS);
    const { keyBindings, readerPresets, collapsed, language } = parsed.data;
    return { keyBindings, readerPresets, collapsed, ...(language ? { language } : {}) };
  } catch {
    return structuredClone(DEFAULTS);
  }
}

function save(p: Preferences) {
  try {
    storage()?.setItem(PREFERENCES_KEY, JSON.stringify({ version: 1, ...p }));
  } catch {
    // Full or disabled storage: the preference holds for this page only.
  }
}

interface PreferencesState extends Preferences {
  /** Sets a command's keys (the caller has checked conflicts: features/viewer/commands.ts `bindKey`). */
  setKeyBindings: (bindings: Record<string, string[]>) => void;
  resetKeyBindings: () => void;
  /** Puts a preset in slot `slot` (0 = key 6), or empties it. */
  setReaderPreset: (slot: number, preset: WindowPreset | null) => void;
  setCollapsed: (panel: PanelName, collapsed: boolean) => void;
  setLanguage: (language: Language) => void;
  /** Reads the browser's copy again (another tab changed it). */
  reload: () => void;
}

const pick = (s: PreferencesState): Preferences => ({
  keyBindings: s.keyBindings,
  readerPresets: s.readerPresets,
  collapsed: s.collapsed,
  ...(s.language ? { language: s.language } : {}),
});

export const usePreferencesStore = create<PreferencesState>((set, get) => {
  const update = (patch: Partial<Preferences>) => {
    set(patch);
    save(pick(get()));
  };
  return {
    ...loadPreferences(),
    setKeyBindings: (keyBindings) => update({ keyBindings }),
    resetKeyBindings: () => update({ keyBindings: {} }),
    setReaderPreset: (slot, preset) => {
      if (!Number.isInteger(slot) || slot < 0 || slot >= READER_PRESET_SLOTS) return;
      const readerPresets = Array.from({ length: READER_PRESET_SLOTS }, (_, i) => get().readerPresets[i] ?? null);
      readerPresets[slot] = preset ? { label: preset.label.slice(0, 40), center: preset.center, width: preset.width } : null;
      update({ readerPresets });
    },
    setCollapsed: (panel, collapsed) => update({ collapsed: { ...get().collapsed, [panel]: collapsed } }),
    setLanguage: (language) => update({ language }),
    reload: () => set({ language: undefined, ...loadPreferences() }),
  };
});
