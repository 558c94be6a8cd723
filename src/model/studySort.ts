import type { StudySummary } from './types';

export type StudySortKey = 'patientName' | 'patientId' | 'studyDate' | 'modalities' | 'description' | 'accessionNumber' | 'numInstances';
export type SortDirection = 'asc' | 'desc';

function keyOf(s: StudySummary, key: StudySortKey): string | number {
  switch (key) {
    case 'studyDate':
      return `${s.studyDate}${s.studyTime}`;
    case 'modalities':
      return s.modalities.join('\\');
    case 'numInstances':
      return s.numInstances ?? -1;
    default:
      return s[key];
  }
}

/** Sorts worklist rows; ties keep their server order. Empty values go last in either direction. */
export function sortStudies(studies: StudySummary[], key: StudySortKey, dir: SortDirection): StudySummary[] {
  const sign = dir === 'asc' ? 1 : -1;
  return studies
    .map((s, i) => ({ s, i, k: keyOf(s, key) }))
    .sort((a, b) => {
      const emptyA = a.k === '' || a.k === -1;
      const emptyB = b.k === '' || b.k === -1;
      if (emptyA !== emptyB) return emptyA ? 1 : -1;
      const c =
        typeof a.k === 'number' && typeof b.k === 'number'
          ? a.k - b.k
          : String(a.k).localeCompare(String(b.k), undefined, { sensitivity: 'base', numeric: true });
      return c * sign || a.i - b.i;
    })
    .map((x) => x.s);
}
