import { matchingSeries, mostRelevantPrior, type CompareReference } from '../model/priors';
import { seriesFromQido } from '../model/parse';
import type { SeriesSummary, StudySummary } from '../model/types';
import { clientFor } from '../store/config';
import { useStudyStore } from '../store/study';
import { useViewerStore } from '../store/viewer';

/** What "compare with prior" may have to say, in English (the store keeps it so); screens say it by key. */
export const COMPARE_NOTES = {
  noCurrentSeries: 'The current study has no image series to compare.',
  stillLooking: 'Still looking for other studies of this patient: try again in a moment.',
  noPrior: 'No other study of this patient on this data source.',
  noPriorSeries: 'The prior study has no image series to compare.',
} as const;

const note = (text: string) => useStudyStore.setState((s) => ({ priors: { ...s.priors, note: text } }));

/**
 * "Compare with prior": the current study's series on screen (or its first image series) on the left, the most
 * relevant prior's matching series on the right, in a 1×2 layout; each viewport is labelled with its study's date.
 */
export async function compareWithPrior(): Promise<void> {
  const study = useStudyStore.getState();
  const viewer = useViewerStore.getState();
  const currentUID = study.studyUIDs[0];
  if (!currentUID) return;
  const summaryOf = (uid: string) => study.series[uid]?.summary;
  const active = viewer.slots[viewer.active]?.seriesInstanceUID;
  const currentSeries = (study.seriesOrder[currentUID] ?? []).map(summaryOf).filter((s): s is SeriesSummary => !!s);
  const left = (active && summaryOf(active)?.studyInstanceUID === currentUID ? summaryOf(active) : undefined) ?? matchingSeries({ modality: '', bodyPart: '', description: '' }, currentSeries);
  if (!left) return note(COMPARE_NOTES.noCurrentSeries);
  const reference: CompareReference = { modality: left.modality, bodyPart: left.bodyPart, description: left.description };

  const openPriors = study.studyUIDs.slice(1).map((uid) => study.studies[uid]?.summary).filter((s): s is StudySummary => !!s);
  const candidates = [...openPriors, ...study.priors.studies].sort((a, b) => `${b.studyDate}${b.studyTime}`.localeCompare(`${a.studyDate}${a.studyTime}`));
  if (candidates.length === 0) {
    return note(study.priors.status === 'loading' ? COMPARE_NOTES.stillLooking : COMPARE_NOTES.noPrior);
  }
  // Body parts are a series attribute: list the series of the few most recent same-modality candidates.
  const client = clientFor(study.dataSource);
  const seriesOf = new Map<string, SeriesSummary[]>();
  for (const s of openPriors) seriesOf.set(s.studyInstanceUID, (study.seriesOrder[s.studyInstanceUID] ?? []).map(summaryOf).filter((x): x is SeriesSummary => !!x));
  if (client && reference.bodyPart) {
    const look = candidates.filter((c) => !seriesOf.has(c.studyInstanceUID) && c.modalities.includes(reference.modality)).slice(0, 5);
    await Promise.all(
      look.map(async (c) => {
        try {
          seriesOf.set(c.studyInstanceUID, (await client.searchSeries(c.studyInstanceUID)).map((d) => seriesFromQido(d, c.studyInstanceUID)));
        } catch {
          // Without its series list the study still counts by modality and date.
        }
      }),
    );
  }
  // The reader may have opened another study meanwhile: never hang this patient's prior beside it.
  const stillOpen = () => useStudyStore.getState().studyUIDs[0] === currentUID;
  if (!stillOpen()) return;
  const prior = mostRelevantPrior(reference, candidates, seriesOf)!;
  if (!useStudyStore.getState().studyUIDs.includes(prior.studyInstanceUID)) await useStudyStore.getState().addStudies([prior.studyInstanceUID], currentUID);
  if (!stillOpen()) return;
  const after = useStudyStore.getState();
  const right = matchingSeries(
    reference,
    (after.seriesOrder[prior.studyInstanceUID] ?? []).map((uid) => after.series[uid]?.summary).filter((s): s is SeriesSummary => !!s),
  );
  if (!right) return note(COMPARE_NOTES.noPriorSeries);
  note('');
  const v = useViewerStore.getState();
  const keepLeft = v.slots[v.active]?.seriesInstanceUID === left.seriesInstanceUID ? v.slots[v.active] : undefined;
  v.setLayout({ rows: 1, cols: 2 });
  const now = useViewerStore.getState();
  if (now.slots[0]?.seriesInstanceUID !== left.seriesInstanceUID) now.showSeries(0, left.seriesInstanceUID, keepLeft?.initialIndex);
  useViewerStore.getState().showSeries(1, right.seriesInstanceUID);
  useViewerStore.getState().setActive(0);
  // Scrolling one scrolls the other, their stacks' centres lined up to start with (Shift+scroll adjusts).
  useViewerStore.setState({ links: {}, syncGroups: [[0, 1]] });
}
