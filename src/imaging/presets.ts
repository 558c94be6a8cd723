/** Window/level presets radiologists know by name (center/width in HU). Hotkeys 1–4; 5 is the file's own. */
export interface WindowPreset {
  id: string;
  label: string;
  center: number;
  width: number;
}

export const CT_PRESETS: WindowPreset[] = [
  { id: 'soft-tissue', label: 'Soft tissue', center: 40, width: 400 },
  { id: 'lung', label: 'Lung', center: -600, width: 1500 },
  { id: 'bone', label: 'Bone', center: 400, width: 1800 },
  { id: 'brain', label: 'Brain', center: 40, width: 80 },
];
