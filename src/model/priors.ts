import { isNonImageModality } from './modalities';
import type { SeriesSummary, StudySummary } from './types';

/** Date and time as one sortable key; undated studies sort last. */
const when = (s: StudySummary) => (s.studyDate ? `${s.studyDate}${s.studyTime ?? ''}` : '');

/**
 * The patient's other studies among search results: the same Patient ID exactly (the search may have matched a
 * wildcard), the same Issuer of Patient ID when both name one (IDs from two hospitals can collide), not already
 * open; newest first.
 */
export function priorsOf(current: StudySummary, candidates: StudySummary[], openStudyUIDs: string[]): StudySummary[] {
  if (!current.patientId) return [];
  const open = new Set(openStudyUIDs);
  return candidates
    .filter(
      (s) =>
        s.patientId === current.patientId &&
        !open.has(s.studyInstanceUID) &&
        !(current.issuerOfPatientId && s.issuerOfPatientId && current.issuerOfPatientId !== s.issuerOfPatientId),
    )
    .sort((a, b) => when(b).localeCompare(when(a)));
}

const words = (s: string) => new Set(s.toUpperCase().split(/[^A-Z0-9]+/).filter((w) => w.length > 1));
const shared = (a: string, b: string) => {
  const wa = words(a);
  let n = 0;
  for (const w of words(b)) if (wa.has(w)) n++;
  return n;
};

/** What the prior is compared with: the series on screen. */
export interface CompareReference {
  modality: string;
  bodyPart: string;
  description: string;
}

/**
 * The most relevant of `priors`: the highest tier first (the callers' tiers: 2 for the same modality and body part,
 * 1 for the same modality, 0 for any), then the newest (`date` a sortable key, '' for undated, which come last),
 * then the order given. Hanging protocols' "prior" and Compare with prior both choose with it.
 */
export function pickPrior<T>(priors: readonly T[], tier: (p: T) => number, date: (p: T) => string): T | undefined {
  const newer = (a: string, b: string) => a !== '' && (b === '' || a > b);
  let best: { p: T; tier: number; date: string } | undefined;
  for (const p of priors) {
    const c = { p, tier: tier(p), date: date(p) };
    if (!best || c.tier > best.tier || (c.tier === best.tier && newer(c.date, best.date))) best = c;
  }
  return best?.p;
}

/**
 * The prior to compare with: the same modality and body part when known (a prior's series lists, where fetched,
 * say which body parts it holds), else the same modality, else the most recent.
 */
export function mostRelevantPrior(
  reference: CompareReference,
  priors: StudySummary[],
  seriesOf: ReadonlyMap<string, SeriesSummary[]> = new Map(),
): StudySummary | undefined {
  const modality = reference.modality.toUpperCase();
  const sameModality = (s: StudySummary) =>
    s.modalities.some((m) => m.toUpperCase() === modality) || (seriesOf.get(s.studyInstanceUID) ?? []).some((r) => r.modality.toUpperCase() === modality);
  const samePart = (s: StudySummary) =>
    !!reference.bodyPart &&
    (seriesOf.get(s.studyInstanceUID) ?? []).some((r) => r.modality.toUpperCase() === modality && r.bodyPart.toUpperCase() === reference.bodyPart.toUpperCase());
  return pickPrior(priors, (s) => (sameModality(s) ? (samePart(s) ? 2 : 1) : 0), when);
}

/**
 * The prior's series to show beside the reference: the same modality, then the same body part, then the most
 * words of the description in common, then the most images.
 */
export function matchingSeries(reference: CompareReference, candidates: SeriesSummary[]): SeriesSummary | undefined {
  const score = (s: SeriesSummary) =>
    (s.modality.toUpperCase() === reference.modality.toUpperCase() ? 1000 : 0) +
    (reference.bodyPart && s.bodyPart.toUpperCase() === reference.bodyPart.toUpperCase() ? 100 : 0) +
    10 * shared(reference.description, s.description);
  const images = candidates.filter((s) => (s.numInstances ?? 1) > 0 && !isNonImageModality(s.modality));
  return [...images].sort((a, b) => score(b) - score(a) || (b.numInstances ?? 0) - (a.numInstances ?? 0))[0];
}
