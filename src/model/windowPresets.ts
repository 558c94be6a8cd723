// Window/level presets radiologists know by name (center/width in HU): the one list. The toolbar and hotkeys 1–4
// (5 is the file's own window) show them in this order; hanging protocols name them (`"window": "lung"`).

export const PRESET_NAMES = ['soft-tissue', 'lung', 'bone', 'brain'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface WindowPreset {
  id: PresetName;
  label: string;
  center: number;
  width: number;
}

/** CT window presets by name. */
export const WINDOW_PRESETS: Readonly<Record<PresetName, WindowPreset>> = {
  'soft-tissue': { id: 'soft-tissue', label: 'Soft tissue', center: 40, width: 400 },
  lung: { id: 'lung', label: 'Lung', center: -600, width: 1500 },
  bone: { id: 'bone', label: 'Bone', center: 400, width: 1800 },
  brain: { id: 'brain', label: 'Brain', center: 40, width: 80 },
};

/** The presets in toolbar and hotkey order. */
export const CT_PRESETS: readonly WindowPreset[] = PRESET_NAMES.map((name) => WINDOW_PRESETS[name]);
