// Window/level presets (center/width in modality units): the one owner. The named presets are the ones hanging
// protocols name (`"window": "lung"`); number keys 1–5 show the site's presets for the image's modality, or by
// default the five most readers already know from OHIF; 6–9 are the reader's own (a browser preference).
import { z } from '../zod';

export const PRESET_NAMES = ['soft-tissue', 'lung', 'liver', 'bone', 'brain'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface WindowPreset {
  label: string;
  center: number;
  width: number;
}

export interface NamedPreset extends WindowPreset {
  id: PresetName;
}

/** CT window presets by name (W/L as OHIF's number keys give them, so a reader's habits carry over). */
export const WINDOW_PRESETS: Readonly<Record<PresetName, NamedPreset>> = {
  'soft-tissue': { id: 'soft-tissue', label: 'Soft tissue', center: 40, width: 400 },
  lung: { id: 'lung', label: 'Lung', center: -600, width: 1500 },
  liver: { id: 'liver', label: 'Liver', center: 90, width: 150 },
  bone: { id: 'bone', label: 'Bone', center: 480, width: 2500 },
  brain: { id: 'brain', label: 'Brain', center: 40, width: 80 },
};

/** Keys 1–5 when the site configures nothing: soft tissue, lung, liver, bone, brain. */
export const DEFAULT_KEY_PRESETS: readonly WindowPreset[] = PRESET_NAMES.map((name) => WINDOW_PRESETS[name]);

/** How many presets the site gives a modality (keys 1–5), and the reader's own slots after them (keys 6–9). */
export const SITE_PRESET_SLOTS = 5;
export const READER_PRESET_SLOTS = 4;
export const MAX_PRESETS = SITE_PRESET_SLOTS + READER_PRESET_SLOTS;

const presetSchema = z.union(
  [
    z.enum(PRESET_NAMES),
    z.strictObject({
      label: z.string().check(z.minLength(1, 'give the preset a label'), z.maxLength(40)),
      center: z.number(),
      width: z.number().check(z.positive('width must be above 0')),
    }),
  ],
  { error: `use a preset name (${PRESET_NAMES.join(', ')}) or { "label": …, "center": …, "width": … }` },
);

/**
 * config.json `windowPresets`: by modality (`"CT"`, `"MR"`…, or `"*"` for any other), up to five presets for keys
 * 1–5, in key order. A modality not listed (and no `"*"`) gets the default five.
 */
export const sitePresetsSchema = z.record(
  z.string().check(z.regex(/^([A-Z0-9]{1,16}|\*)$/, 'a modality code such as "CT", or "*" for any other')),
  z.array(presetSchema).check(z.maxLength(SITE_PRESET_SLOTS, `at most ${SITE_PRESET_SLOTS} presets (keys 1–5)`)),
);
export type SitePresets = z.infer<typeof sitePresetsSchema>;

/** The presets of keys 1–5 for images of `modality`. */
export function sitePresetsFor(modality: string | undefined, site: SitePresets | undefined): WindowPreset[] {
  const list = (modality && site?.[modality]) || site?.['*'];
  if (!list) return [...DEFAULT_KEY_PRESETS];
  return list.map((p) => (typeof p === 'string' ? WINDOW_PRESETS[p] : p));
}

/** A reader's own preset (keys 6–9): numbers and the name the reader typed, nothing about a patient. */
export const readerPresetSchema = z.strictObject({
  label: z.string().check(z.minLength(1), z.maxLength(40)),
  center: z.number().check(z.gte(-1e6), z.lte(1e6)),
  width: z.number().check(z.positive(), z.lte(1e6)),
});

/**
 * The preset number `n` (1–9) names for an image of `modality`: the site's (or default) list for 1–5, the reader's
 * slots (index 0 = key 6) for 6–9.
 */
export function presetForKey(
  n: number,
  modality: string | undefined,
  site: SitePresets | undefined,
  reader: readonly (WindowPreset | null | undefined)[],
): WindowPreset | undefined {
  if (!Number.isInteger(n) || n < 1 || n > MAX_PRESETS) return undefined;
  if (n <= SITE_PRESET_SLOTS) return sitePresetsFor(modality, site)[n - 1];
  return reader[n - SITE_PRESET_SLOTS - 1] ?? undefined;
}

/** The first free slot for a new reader preset (index 0 = key 6), or −1 when all four are taken. */
export function freeReaderSlot(reader: readonly (WindowPreset | null | undefined)[]): number {
  for (let i = 0; i < READER_PRESET_SLOTS; i++) if (!reader[i]) return i;
  return -1;
}
