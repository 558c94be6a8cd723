/**
 * Hanging protocols: which series a study opens with, in which layout, window and viewport, as declarative JSON
 * (config.json `hangingProtocols`, validated by {@link protocolsSchema}) and pure matching code. Nothing here
 * touches Cornerstone or the DOM; the caller turns a {@link ProtocolResult} into viewer state.
 *
 * A protocol has study-level rules (`match`: all must hold) and viewport rules (`viewports`: each picks a series
 * with a `series` selector, in order, and says how to show it). Example:
 *
 * ```json
 * {
 *   "id": "ct-abdomen-bone",
 *   "name": "CT abdomen + bone",
 *   "priority": 5,
 *   "match": { "modality": "CT", "bodyPart": ["ABDOMEN"], "studyDescription": "/abd(omen)?/i" },
 *   "layout": { "rows": 1, "cols": 2 },
 *   "viewports": [
 *     { "series": { "orientation": "axial", "descriptionNot": "scout", "prefer": "most-images" }, "window": "soft-tissue", "syncGroup": "abd" },
 *     { "series": { "orientation": "axial", "descriptionNot": "scout", "prefer": "most-images" }, "window": "bone", "syncGroup": "abd",
 *       "allowRepeat": true, "required": true }
 *   ]
 * }
 * ```
 *
 * Patterns (`studyDescription`, `seriesDescription`, `description`, `descriptionNot`, `avoid`): a plain string matches as a
 * case-insensitive substring; a string written `/source/flags` is a regular expression (flags from `imsuv`; case
 * follows the flags, so write `/t1/i` for case-insensitive).
 *
 * Scores and priorities: a protocol's score is the number of study-level criteria it names that hold (`modality`,
 * `bodyPart`, `studyDescription`, `seriesDescription`, `requiresPrior: true`, `minSeries`, plus the score of the
 * best alternative of `anyOf` that holds), so a specific protocol beats a generic one; `priority` breaks ties, then
 * the order of the list. `autoSelect: false` protocols (built-in `current-vs-prior` and `mpr`) are listed by
 * {@link matchProtocols} but {@link chooseProtocol} only picks them when asked by `preferredId`: opening a prior or a
 * volume costs a second study's or a whole series' download, which the reader should choose.
 */
import { nonEmpty, z } from '../zod';
import { isNonImageModality } from './modalities';
import { pickPrior } from './priors';
import { PRESET_NAMES, WINDOW_PRESETS } from './windowPresets';

// ---------------------------------------------------------------------------------------------------------------
// What matching sees

export type Orientation = 'axial' | 'sagittal' | 'coronal' | 'oblique';

/** What matching sees of one series (the caller builds it from the series list and, when loaded, its metadata). */
export interface ProtocolSeries {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  modality: string;
  description: string;
  bodyPart: string;
  seriesNumber?: number;
  /** Images (frames) in the series; 0 (nothing to show) keeps a series out of every viewport. */
  numImages: number;
  /** From the series' Image Orientation (Patient), see {@link seriesOrientation}; unknown until its metadata is loaded. */
  orientation?: Orientation;
}

export interface ProtocolStudy {
  studyInstanceUID: string;
  /** YYYYMMDD or ''. */
  studyDate: string;
  description: string;
  modalities: string[];
  bodyPart?: string;
  series: ProtocolSeries[];
}

// ---------------------------------------------------------------------------------------------------------------
// Patterns

const REGEX_FORM = /^\/(.+)\/([a-z]*)$/s;
const ALLOWED_FLAGS = /^[imsuv]*$/;

type CompiledPattern = { test: (text: string) => boolean } | { error: string };

const compiled = new Map<string, CompiledPattern>();

/** A pattern as a tester, or why it is not valid. Results are cached (protocols are few, matching is frequent). */
function compilePattern(pattern: string): CompiledPattern {
  const hit = compiled.get(pattern);
  if (hit) return hit;
  let result: CompiledPattern;
  const m = REGEX_FORM.exec(pattern);
  if (m) {
    const source = m[1] ?? '';
    const flags = m[2] ?? '';
    if (!ALLOWED_FLAGS.test(flags)) {
      result = { error: `"${pattern}": regular expression flags must be among "imsuv" (got "${flags}")` };
    } else {
      try {
        const re = new RegExp(source, flags);
        result = { test: (text) => re.test(text) };
      } catch (e) {
        result = { error: `"${pattern}" is not a valid regular expression: ${e instanceof Error ? e.message : String(e)}` };
      }
    }
  } else {
    const needle = pattern.toLowerCase();
    result = { test: (text) => text.toLowerCase().includes(needle) };
  }
  compiled.set(pattern, result);
  return result;
}

/** Whether `text` matches `pattern`; an invalid pattern (one that bypassed validation) matches nothing. */
export function matchesPattern(pattern: string, text: string): boolean {
  const p = compilePattern(pattern);
  return 'test' in p ? p.test(text) : false;
}

// ---------------------------------------------------------------------------------------------------------------
// Schema

/** Most cells a grid has (3x3). */
const MAX_CELLS = 9;

/** A union whose failure says what is expected instead of zod's bare "Invalid input". */
const unionHint = (hint: string) => (iss: z.core.$ZodRawIssue) => {
  if (iss.code !== 'invalid_union') return undefined;
  const deep = (iss.errors as z.core.$ZodIssue[][]).flat().find((e) => e.path.length > 0);
  return deep ? `${hint} (${deep.path.join('.')}: ${deep.message})` : hint;
};

const patternSchema = nonEmpty('a pattern cannot be empty').check(
  z.superRefine((pattern, ctx) => {
    const p = compilePattern(pattern);
    if ('error' in p) ctx.addIssue({ code: 'custom', message: p.error });
  }),
);

const modalitySchema = z.union([nonEmpty(), z.array(nonEmpty()).check(z.minLength(1, 'list at least one modality'))], {
  error: unionHint('use a modality ("CT") or a list of them (["CT", "MR"])'),
});

const orientationSchema = z.enum(['axial', 'sagittal', 'coronal', 'oblique'], {
  error: 'use "axial", "sagittal", "coronal" or "oblique"',
});

const studyRulesShape = {
  /** The study holds a series of this modality (or one of these). */
  modality: z.optional(modalitySchema),
  /** Body Part Examined of the study or of any of its series is one of these (case-insensitive). */
  bodyPart: z.optional(z.array(nonEmpty()).check(z.minLength(1, 'list at least one body part'))),
  /** Pattern the study description matches. */
  studyDescription: z.optional(patternSchema),
  /** Pattern the description of at least one of the study's series matches. */
  seriesDescription: z.optional(patternSchema),
  /** true: the patient has at least one prior study. false (or absent): no rule. */
  requiresPrior: z.optional(z.boolean()),
  /** The study has at least this many image series (series with images, not reports or presentation states). */
  minSeries: z.optional(z.int().check(z.minimum(1, 'minSeries is at least 1'))),
};

const studyRulesSchema = z.strictObject(studyRulesShape);

const matchSchema = z.strictObject({
  ...studyRulesShape,
  /** Alternatives: at least one must hold (e.g. body part CHEST, or a description saying chest). */
  anyOf: z.optional(z.array(studyRulesSchema).check(z.minLength(1, 'list at least one alternative'))),
});

const seriesSelectorSchema = z.strictObject({
  /** 'current' (default) or 'prior': the most relevant prior study (see mostRelevantPrior). */
  study: z.optional(z.enum(['current', 'prior'], { error: 'use "current" or "prior"' })),
  modality: z.optional(modalitySchema),
  /** Pattern the series description must match. */
  description: z.optional(patternSchema),
  /** Pattern the series description must not match. */
  descriptionNot: z.optional(patternSchema),
  /** Pattern of descriptions to take only when nothing else qualifies (ranked after the others). */
  avoid: z.optional(patternSchema),
  /** A series whose orientation is not known yet may still be chosen, after those known to match. */
  orientation: z.optional(
    z.union([orientationSchema, z.array(orientationSchema).check(z.minLength(1))], { error: unionHint('use an orientation or a list of them') }),
  ),
  minImages: z.optional(z.int().check(z.minimum(1, 'minImages is at least 1'))),
  seriesNumber: z.optional(z.int()),
  /** Among the series that qualify: 'first' (default) in series-number order, or the one with 'most-images'. */
  prefer: z.optional(z.enum(['first', 'most-images'], { error: 'use "first" or "most-images"' })),
  /**
   * The series most like the one of viewport N (an earlier viewport): the same modality, then ranked by words of
   * the description in common, the same orientation and body part, then images. Unfilled when viewport N is empty.
   */
  similarTo: z.optional(z.int().check(z.minimum(0))),
});

const windowSchema = z.union(
  [z.enum(PRESET_NAMES), z.strictObject({ center: z.number(), width: z.number().check(z.positive('width must be above 0')) })],
  { error: unionHint(`use a preset (${PRESET_NAMES.join(', ')}) or { "center": …, "width": … }`) },
);

const viewportRuleSchema = z.strictObject({
  series: z._default(seriesSelectorSchema, {}),
  /** A preset name or an explicit window; absent: the images' own window. */
  window: z.optional(windowSchema),
  mode: z._default(z.enum(['stack', 'mpr'], { error: 'use "stack" or "mpr"' }), 'stack'),
  /** Viewports with the same sync group scroll (and zoom/pan, as the viewer does) together. */
  syncGroup: z.optional(nonEmpty()),
  /**
   * The protocol does not apply when this viewport cannot be filled. Default: true for the first viewport rule,
   * false for the others (a protocol is about its main series; the rest are shown when there).
   */
  required: z.optional(z.boolean()),
  /** May show a series an earlier viewport already shows (the same CT in two windows). */
  allowRepeat: z._default(z.boolean(), false),
  /** One viewport for each (not yet shown) series the selector matches, in order, while the layout has room. */
  each: z._default(z.boolean(), false),
  /** 'study-date': "Current 2024-01-15" / "Prior 2023-05-01"; any other text is shown as written. */
  label: z.optional(nonEmpty()),
});

const gridSchema = z.strictObject({
  rows: z.int().check(z.minimum(1, 'at least 1 row'), z.maximum(3, 'at most 3 rows')),
  cols: z.int().check(z.minimum(1, 'at least 1 column'), z.maximum(3, 'at most 3 columns')),
});

const layoutSchema = z.union([z.enum(['mpr', 'auto']), gridSchema], {
  error: unionHint('use { "rows": 1–3, "cols": 1–3 }, "mpr" or "auto" (grid from the number of filled viewports)'),
});

export const protocolSchema = z
  .strictObject({
    id: z.string().check(z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single "-" (e.g. "ct-chest")')),
    name: nonEmpty('give the protocol a name'),
    priority: z._default(z.number(), 0),
    /** false: listed by matchProtocols, but chooseProtocol picks it only when asked for by id. */
    autoSelect: z._default(z.boolean(), true),
    match: z._default(matchSchema, {}),
    layout: layoutSchema,
    viewports: z.array(viewportRuleSchema).check(z.minLength(1, 'list at least one viewport')),
  })
  .check(
    z.superRefine((p, ctx) => {
      const capacity = p.layout === 'mpr' ? 1 : p.layout === 'auto' ? MAX_CELLS : p.layout.rows * p.layout.cols;
      if (p.layout === 'mpr' && p.viewports.length !== 1) {
        ctx.addIssue({ code: 'custom', path: ['viewports'], message: 'the "mpr" layout takes exactly one viewport (the series to reformat)' });
      } else if (p.viewports.length > capacity) {
        const what = typeof p.layout === 'string' ? `"${p.layout}"` : `${p.layout.rows}x${p.layout.cols}`;
        ctx.addIssue({ code: 'custom', path: ['viewports'], message: `${p.viewports.length} viewports do not fit layout ${what} (${capacity} at most)` });
      }
      p.viewports.forEach((v, i) => {
        const ref = v.series.similarTo;
        if (ref !== undefined && ref >= i) {
          ctx.addIssue({ code: 'custom', path: ['viewports', i, 'series', 'similarTo'], message: i === 0 ? 'similarTo must name an earlier viewport (the first has none)' : `similarTo must name an earlier viewport (0–${i - 1})` });
        }
      });
    }),
  );

export type HangingProtocol = z.infer<typeof protocolSchema>;
type ViewportRule = HangingProtocol['viewports'][number];
type SeriesSelector = ViewportRule['series'];
type StudyRules = z.infer<typeof studyRulesSchema>;

/** config.json `hangingProtocols`: a list of protocols with distinct ids. */
export const protocolsSchema = z.array(protocolSchema).check(
  z.superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate protocol id "${p.id}"` });
      seen.add(p.id);
    });
  }),
);

/** Validates parsed JSON: the protocols, or every problem as "path: message". */
export function parseProtocols(json: unknown): { ok: true; protocols: HangingProtocol[] } | { ok: false; errors: string[] } {
  const result = protocolsSchema.safeParse(json);
  if (result.success) return { ok: true, protocols: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(top level)'}: ${issue.message}`),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Results

export interface ViewportAssignment {
  studyInstanceUID?: string;
  seriesInstanceUID?: string;
  window?: { center: number; width: number };
  presetName?: string;
  mode: 'stack' | 'mpr';
  syncGroup?: string;
  /** e.g. 'Current' or 'Prior 2023-05-01' */
  label?: string;
}

export interface ProtocolResult {
  protocolId: string;
  protocolName: string;
  layout: { rows: number; cols: number } | 'mpr';
  /** One per cell of the grid (rows × cols, row by row; empty cells have no series), or one for 'mpr'. */
  viewports: ViewportAssignment[];
}

// ---------------------------------------------------------------------------------------------------------------
// Geometry

/**
 * The plane of a series from its Image Orientation (Patient) (row cosines, then column cosines): the slice normal
 * is their cross product; the plane is axial, sagittal or coronal when the normal's z, x or y component is above
 * 0.8 (within about 37° of that axis), else oblique. Undefined for missing or degenerate input.
 */
export function seriesOrientation(imageOrientationPatient?: number[]): Orientation | undefined {
  if (!imageOrientationPatient || imageOrientationPatient.length < 6) return undefined;
  const [rx, ry, rz, cx, cy, cz] = imageOrientationPatient as [number, number, number, number, number, number];
  if (![rx, ry, rz, cx, cy, cz].every(Number.isFinite)) return undefined;
  const nx = ry * cz - rz * cy;
  const ny = rz * cx - rx * cz;
  const nz = rx * cy - ry * cx;
  const len = Math.hypot(nx, ny, nz);
  if (len < 1e-6) return undefined;
  const ax = Math.abs(nx) / len;
  const ay = Math.abs(ny) / len;
  const az = Math.abs(nz) / len;
  const DOMINANT = 0.8;
  if (az > DOMINANT) return 'axial';
  if (ax > DOMINANT) return 'sagittal';
  if (ay > DOMINANT) return 'coronal';
  return 'oblique';
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const up = (s: string | undefined) => (s ?? '').trim().toUpperCase();
const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Objects that are not images (./modalities) are never put in a viewport. */
const isImageSeries = (s: ProtocolSeries) => s.numImages > 0 && !isNonImageModality(s.modality);

/** Series in series-number order (unnumbered last), then as listed. */
function inSeriesOrder(series: ProtocolSeries[]): ProtocolSeries[] {
  return series
    .map((s, i) => ({ s, i }))
    .sort((a, b) => (a.s.seriesNumber ?? Infinity) - (b.s.seriesNumber ?? Infinity) || a.i - b.i)
    .map(({ s }) => s);
}

const imageSeriesOf = (study: ProtocolStudy) => inSeriesOrder((study.series ?? []).filter(isImageSeries));

/** The study's image modalities (its own list and its series'), upper case. */
function modalitiesOf(study: ProtocolStudy): Set<string> {
  const all = [...(study.modalities ?? []), ...(study.series ?? []).map((s) => s.modality)].map(up);
  return new Set(all.filter((m) => m && !isNonImageModality(m)));
}

/** Body parts of the study and its series, upper case. */
function bodyPartsOf(study: ProtocolStudy): Set<string> {
  return new Set([study.bodyPart, ...(study.series ?? []).map((s) => s.bodyPart)].map(up).filter(Boolean));
}

const intersects = <T>(a: Set<T>, b: Set<T>) => [...a].some((x) => b.has(x));

/** YYYYMMDD → YYYY-MM-DD; other text unchanged. */
const formatDate = (d: string) => (/^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : d.trim());

const words = (s: string) => new Set(s.toUpperCase().split(/[^A-Z0-9]+/).filter((w) => w.length > 1));

// ---------------------------------------------------------------------------------------------------------------
// Priors

/**
 * The prior to compare the current study with: among `priors` (the patient's other studies, any order), those with
 * a modality of the current study and a body part in common (study or series Body Part Examined, when known), then
 * those with a modality in common, then any; most recent first within each (undated last).
 */
export function mostRelevantPrior(current: ProtocolStudy, priors: ProtocolStudy[]): ProtocolStudy | undefined {
  const modalities = modalitiesOf(current);
  const parts = bodyPartsOf(current);
  const tier = (p: ProtocolStudy) => {
    const sameModality = intersects(modalities, modalitiesOf(p));
    if (!sameModality) return 0;
    return parts.size > 0 && intersects(parts, bodyPartsOf(p)) ? 2 : 1;
  };
  const date = (p: ProtocolStudy) => (/^\d{8}$/.test(p.studyDate ?? '') ? p.studyDate! : '');
  return pickPrior(
    priors.filter((p) => p.studyInstanceUID !== current.studyInstanceUID),
    tier,
    date,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Study-level matching

/** The score of a set of study rules, or undefined when one does not hold. */
function scoreRules(rules: StudyRules, current: ProtocolStudy, priors: ProtocolStudy[]): number | undefined {
  let score = 0;
  if (rules.modality !== undefined) {
    const have = modalitiesOf(current);
    if (!asList(rules.modality).some((m) => have.has(up(m)))) return undefined;
    score++;
  }
  if (rules.bodyPart !== undefined) {
    const have = bodyPartsOf(current);
    if (!rules.bodyPart.some((b) => have.has(up(b)))) return undefined;
    score++;
  }
  if (rules.studyDescription !== undefined) {
    if (!matchesPattern(rules.studyDescription, current.description ?? '')) return undefined;
    score++;
  }
  if (rules.seriesDescription !== undefined) {
    const pattern = rules.seriesDescription;
    if (!(current.series ?? []).some((s) => matchesPattern(pattern, s.description ?? ''))) return undefined;
    score++;
  }
  if (rules.requiresPrior) {
    if (!priors.some((p) => p.studyInstanceUID !== current.studyInstanceUID)) return undefined;
    score++;
  }
  if (rules.minSeries !== undefined) {
    if (imageSeriesOf(current).length < rules.minSeries) return undefined;
    score++;
  }
  return score;
}

/** The study-level score of a protocol, or undefined when its `match` rules do not hold. */
function studyScore(protocol: HangingProtocol, current: ProtocolStudy, priors: ProtocolStudy[]): number | undefined {
  const match = protocol.match ?? {};
  const base = scoreRules(match, current, priors);
  if (base === undefined) return undefined;
  if (!match.anyOf) return base;
  const alternatives = match.anyOf.map((alt) => scoreRules(alt, current, priors)).filter((s): s is number => s !== undefined);
  if (alternatives.length === 0) return undefined;
  return base + Math.max(...alternatives);
}

// ---------------------------------------------------------------------------------------------------------------
// Viewport filling

interface Filled {
  series: ProtocolSeries;
  study: ProtocolStudy;
  isPrior: boolean;
}

/** Series of a study a selector accepts, best first. */
function candidates(selector: SeriesSelector, study: ProtocolStudy, reference: ProtocolSeries | undefined): ProtocolSeries[] {
  const modalities = asList(selector.modality).map(up);
  const orientations = asList(selector.orientation);
  const list = imageSeriesOf(study).filter((s) => {
    if (modalities.length && !modalities.includes(up(s.modality))) return false;
    if (selector.description !== undefined && !matchesPattern(selector.description, s.description ?? '')) return false;
    if (selector.descriptionNot !== undefined && matchesPattern(selector.descriptionNot, s.description ?? '')) return false;
    if (orientations.length && s.orientation !== undefined && !orientations.includes(s.orientation)) return false;
    if (selector.minImages !== undefined && s.numImages < selector.minImages) return false;
    if (selector.seriesNumber !== undefined && s.seriesNumber !== selector.seriesNumber) return false;
    if (reference && up(s.modality) !== up(reference.modality)) return false;
    return true;
  });
  const known = (s: ProtocolSeries) => (orientations.length && s.orientation !== undefined ? 1 : 0);
  const similarity = (s: ProtocolSeries) => {
    if (!reference) return 0;
    const ref = words(reference.description ?? '');
    let shared = 0;
    for (const w of words(s.description ?? '')) if (ref.has(w)) shared++;
    const orientation = !s.orientation || !reference.orientation ? 0 : s.orientation === reference.orientation ? 1 : -1;
    const part = up(reference.bodyPart) && up(s.bodyPart) === up(reference.bodyPart) ? 1 : 0;
    return 2 * shared + orientation + part;
  };
  const avoided = (s: ProtocolSeries) => (selector.avoid !== undefined && matchesPattern(selector.avoid, s.description ?? '') ? 1 : 0);
  const byImages = selector.prefer === 'most-images' || reference !== undefined;
  // Array.prototype.sort is stable: ties keep series-number order.
  return [...list].sort(
    (a, b) => avoided(a) - avoided(b) || known(b) - known(a) || similarity(b) - similarity(a) || (byImages ? b.numImages - a.numImages : 0),
  );
}

function labelFor(rule: ViewportRule, filled: Filled): string | undefined {
  if (rule.label === undefined) return undefined;
  if (rule.label !== 'study-date') return rule.label;
  const date = formatDate(filled.study.studyDate ?? '');
  const who = filled.isPrior ? 'Prior' : 'Current';
  return date ? `${who} ${date}` : who;
}

function assignment(rule: ViewportRule, filled: Filled, layoutIsMpr: boolean): ViewportAssignment {
  const a: ViewportAssignment = {
    studyInstanceUID: filled.series.studyInstanceUID || filled.study.studyInstanceUID,
    seriesInstanceUID: filled.series.seriesInstanceUID,
    mode: layoutIsMpr ? 'mpr' : (rule.mode ?? 'stack'),
  };
  if (typeof rule.window === 'string') {
    const preset = WINDOW_PRESETS[rule.window];
    a.window = { center: preset.center, width: preset.width };
    a.presetName = rule.window;
  } else if (rule.window) {
    a.window = { center: rule.window.center, width: rule.window.width };
  }
  if (rule.syncGroup) a.syncGroup = rule.syncGroup;
  const label = labelFor(rule, filled);
  if (label !== undefined) a.label = label;
  return a;
}

/** Grid for n filled viewports: 1→1x1, 2→1x2, 3→1x3, 4→2x2, 5–6→2x3, more→3x3 (0 → 1x1, empty). */
export function autoLayout(n: number): { rows: number; cols: number } {
  if (n <= 1) return { rows: 1, cols: 1 };
  if (n <= 3) return { rows: 1, cols: n };
  if (n === 4) return { rows: 2, cols: 2 };
  if (n <= 6) return { rows: 2, cols: 3 };
  return { rows: 3, cols: 3 };
}

function fill(protocol: HangingProtocol, current: ProtocolStudy, priors: ProtocolStudy[]): ProtocolResult | undefined {
  const layout = protocol.layout;
  const isMpr = layout === 'mpr';
  const capacity = isMpr ? 1 : layout === 'auto' ? MAX_CELLS : layout.rows * layout.cols;
  const prior = mostRelevantPrior(current, priors);
  const used = new Set<string>();
  /** Per viewport rule: the series of its first viewport (for similarTo). */
  const byRule: (ProtocolSeries | undefined)[] = [];
  const cells: ViewportAssignment[] = [];

  for (const [i, rule] of (protocol.viewports ?? []).entries()) {
    const selector = rule.series ?? {};
    const required = rule.required ?? i === 0;
    const isPrior = selector.study === 'prior';
    const study = isPrior ? prior : current;
    const refIndex = selector.similarTo;
    const reference = refIndex === undefined ? undefined : byRule[refIndex];
    const unfillable = !study || (refIndex !== undefined && !reference);
    const pool = unfillable ? [] : candidates(selector, study, reference).filter((s) => rule.allowRepeat || !used.has(s.seriesInstanceUID));
    const room = capacity - cells.length;
    const take = rule.each ? pool.slice(0, Math.max(0, room)) : pool.slice(0, room > 0 ? 1 : 0);
    if (required && take.length === 0) return undefined;
    byRule[i] = take[0];
    if (take.length === 0) {
      if (room > 0) cells.push({ mode: isMpr ? 'mpr' : 'stack' });
      continue;
    }
    for (const s of take) {
      used.add(s.seriesInstanceUID);
      cells.push(assignment(rule, { series: s, study: study!, isPrior }, isMpr));
    }
  }

  let grid: { rows: number; cols: number } | 'mpr';
  let viewports: ViewportAssignment[];
  if (isMpr) {
    grid = 'mpr';
    viewports = cells.slice(0, 1);
    if (viewports.length === 0) viewports = [{ mode: 'mpr' }];
  } else if (layout === 'auto') {
    const shown = cells.filter((c) => c.seriesInstanceUID !== undefined);
    grid = autoLayout(shown.length);
    viewports = shown.length ? shown : [{ mode: 'stack' }];
  } else {
    grid = { rows: layout.rows, cols: layout.cols };
    viewports = Array.from({ length: capacity }, (_, k) => cells[k] ?? { mode: 'stack' as const });
  }
  return { protocolId: protocol.id, protocolName: protocol.name, layout: grid, viewports };
}

// ---------------------------------------------------------------------------------------------------------------
// Public matching API

/**
 * The protocol's layout and viewports for these studies, or undefined when its `match` rules do not hold or a
 * required viewport cannot be filled. Never throws (a malformed protocol that bypassed validation does not apply).
 */
export function applyProtocol(protocol: HangingProtocol, current: ProtocolStudy, priors: ProtocolStudy[]): ProtocolResult | undefined {
  try {
    if (studyScore(protocol, current, priors) === undefined) return undefined;
    return fill(protocol, current, priors);
  } catch {
    return undefined;
  }
}

/**
 * Every protocol that applies (its `match` rules hold and its required viewports can be filled), best first: higher
 * score, then higher priority, then earlier in the list. Includes `autoSelect: false` ones (for a protocol menu).
 * Never throws.
 */
export function matchProtocols(protocols: HangingProtocol[], current: ProtocolStudy, priors: ProtocolStudy[]): { protocol: HangingProtocol; score: number }[] {
  const found: { protocol: HangingProtocol; score: number; index: number }[] = [];
  protocols.forEach((protocol, index) => {
    try {
      const score = studyScore(protocol, current, priors);
      if (score === undefined || !fill(protocol, current, priors)) return;
      found.push({ protocol, score, index });
    } catch {
      // A malformed protocol (not validated) does not match.
    }
  });
  return found
    .sort((a, b) => b.score - a.score || (b.protocol.priority ?? 0) - (a.protocol.priority ?? 0) || a.index - b.index)
    .map(({ protocol, score }) => ({ protocol, score }));
}

/**
 * What to open the study with: the protocol `preferredId` names (the user's last choice for this modality) when it
 * applies; else the best applying protocol that may be chosen automatically; else the list's `default` protocol;
 * else the built-in default. Always returns a result.
 */
export function chooseProtocol(protocols: HangingProtocol[], current: ProtocolStudy, priors: ProtocolStudy[], preferredId?: string): ProtocolResult {
  if (preferredId) {
    const preferred = protocols.find((p) => p.id === preferredId);
    const result = preferred && applyProtocol(preferred, current, priors);
    if (result) return result;
  }
  for (const { protocol } of matchProtocols(protocols, current, priors)) {
    if (protocol.autoSelect === false) continue;
    const result = applyProtocol(protocol, current, priors);
    if (result) return result;
  }
  const listed = protocols.find((p) => p.id === DEFAULT_PROTOCOL.id);
  const result = (listed && applyProtocol(listed, current, priors)) ?? applyProtocol(DEFAULT_PROTOCOL, current, priors);
  return result ?? { protocolId: DEFAULT_PROTOCOL.id, protocolName: DEFAULT_PROTOCOL.name, layout: { rows: 1, cols: 1 }, viewports: [{ mode: 'stack' }] };
}

// ---------------------------------------------------------------------------------------------------------------
// Built-in protocols

const CT_CHEST_SERIES = {
  study: 'current',
  modality: 'CT',
  orientation: 'axial',
  descriptionNot: '/scout|topo|localizer|surview|dose/i',
  avoid: '/lung/i',
  minImages: 2,
  prefer: 'most-images',
} as const;

const BUILT_INS: z.input<typeof protocolSchema>[] = [
  {
    id: 'ct-chest',
    name: 'CT chest: soft tissue + lung',
    match: {
      modality: 'CT',
      anyOf: [
        { bodyPart: ['CHEST', 'THORAX', 'LUNG', 'ABDOMEN'] },
        { studyDescription: '/chest|thorax|lung|abdomen|thx/i' },
        { seriesDescription: '/chest|thorax|lung/i' },
      ],
    },
    layout: { rows: 1, cols: 2 },
    viewports: [
      { series: { ...CT_CHEST_SERIES }, window: 'soft-tissue', syncGroup: 'ct-chest' },
      { series: { ...CT_CHEST_SERIES }, window: 'lung', syncGroup: 'ct-chest', allowRepeat: true, required: true },
    ],
  },
  {
    id: 'mr-brain',
    name: 'MR brain: T1, T2, FLAIR',
    match: {
      modality: 'MR',
      anyOf: [{ bodyPart: ['HEAD', 'BRAIN'] }, { studyDescription: '/brain|head|neuro|cerebr|skull/i' }],
    },
    layout: { rows: 1, cols: 3 },
    viewports: [
      { series: { modality: 'MR', orientation: 'axial', description: '/t1/i' }, syncGroup: 'mr-brain' },
      { series: { modality: 'MR', orientation: 'axial', description: '/t2/i', descriptionNot: '/flair/i' }, syncGroup: 'mr-brain' },
      { series: { modality: 'MR', orientation: 'axial', description: '/flair/i' }, syncGroup: 'mr-brain' },
    ],
  },
  {
    // Not chosen automatically (autoSelect false): loading the prior is the reader's call, and a generic protocol
    // with one criterion would otherwise beat the default for every study with a prior. Chosen by preferredId.
    id: 'current-vs-prior',
    name: 'Current vs prior',
    priority: -10,
    autoSelect: false,
    match: { requiresPrior: true },
    layout: { rows: 1, cols: 2 },
    viewports: [
      { series: { study: 'current', prefer: 'most-images' }, syncGroup: 'compare', label: 'study-date' },
      { series: { study: 'prior', similarTo: 0 }, syncGroup: 'compare', label: 'study-date', required: true },
    ],
  },
  {
    // Not chosen automatically: a volume needs the whole series and memory (the viewer checks its budget first).
    id: 'mpr',
    name: 'MPR (largest CT/MR series)',
    priority: -20,
    autoSelect: false,
    match: { modality: ['CT', 'MR'] },
    layout: 'mpr',
    viewports: [{ series: { study: 'current', modality: ['CT', 'MR'], minImages: 3, prefer: 'most-images' }, mode: 'mpr' }],
  },
  {
    // The fallback: every image series in series-number order, grid from their count; applies to any study.
    id: 'default',
    name: 'Default',
    priority: -100,
    layout: 'auto',
    viewports: [{ series: {}, each: true, required: false }],
  },
];

/** The built-in protocols, validated like config.json's (a mistake here fails at load, and in the tests). */
export const BUILT_IN_PROTOCOLS: HangingProtocol[] = protocolsSchema.parse(BUILT_INS);

const DEFAULT_PROTOCOL: HangingProtocol = BUILT_IN_PROTOCOLS.find((p) => p.id === 'default')!;

export type { StudyRules, SeriesSelector, ViewportRule };
