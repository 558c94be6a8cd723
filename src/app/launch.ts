// Resolving a launch request (model/launch.ts) to studies through QIDO on the chosen data source: accession numbers
// and patient IDs become Study Instance UIDs, so that the rest of the session carries UIDs only.

import type { DicomWebClient } from '../dicomweb/client';
import { DicomWebError } from '../dicomweb/errors';
import { accessionOutcome, describePatient, selectPatientStudies, type AccessionMatch, type LaunchTarget, type PatientIdentifier } from '../model/launch';
import { studyFromQido } from '../model/parse';
import type { StudySummary } from '../model/types';

/** What a launch opens, or why it cannot. */
export type LaunchResult =
  | { kind: 'viewer'; studyUIDs: string[] }
  | { kind: 'list'; studies: StudySummary[]; patient: PatientIdentifier }
  | { kind: 'choose'; accessionNumber: string; studies: StudySummary[]; matches: AccessionMatch[] }
  | { kind: 'error'; message: string };

type Searcher = Pick<DicomWebClient, 'searchStudies'>;

/** The most studies one identifier is looked up with (a patient with more is shown the newest of these). */
export const LAUNCH_SEARCH_LIMIT = 500;

/**
 * A study that is not there and one the user may not see read the same (no hint whether it exists): the source's
 * "not found", "unauthorized" and "forbidden" are an empty answer here.
 */
async function search(client: Searcher, query: Parameters<Searcher['searchStudies']>[0], signal?: AbortSignal): Promise<StudySummary[]> {
  try {
    const { studies } = await client.searchStudies(query, { limit: LAUNCH_SEARCH_LIMIT, offset: 0 }, signal);
    return studies.map(studyFromQido);
  } catch (e) {
    if (e instanceof DicomWebError && [401, 403, 404].includes(e.status)) return [];
    throw e;
  }
}

const unavailable = (what: string, source: string) => `No study with ${what} is available to you on ${source}.`;

/**
 * Resolves a launch on one data source (`sourceLabel` names it in messages). Several accession numbers open the
 * first as the current study and the others as priors; a patient opens as a list (its most recent study directly
 * with mostRecentResults=1).
 */
export async function resolveLaunch(target: LaunchTarget, client: Searcher, sourceLabel: string, signal?: AbortSignal): Promise<LaunchResult> {
  try {
    switch (target.kind) {
      case 'studies': {
        for (const uid of target.studyUIDs) {
          const found = await search(client, { studyInstanceUID: uid }, signal);
          if (!found.some((s) => s.studyInstanceUID === uid)) return { kind: 'error', message: unavailable(`Study Instance UID ${uid}`, sourceLabel) };
        }
        return { kind: 'viewer', studyUIDs: target.studyUIDs };
      }
      case 'accessions': {
        const matches = await Promise.all(
          target.accessionNumbers.map(async (accessionNumber) => ({
            accessionNumber,
            // Exactly this accession number: the server may match case-insensitively or by prefix.
            studies: (await search(client, { accessionNumber }, signal)).filter((s) => s.accessionNumber === accessionNumber),
          })),
        );
        return afterChoice(matches, sourceLabel);
      }
      case 'patient': {
        const { lower, upper, modalities } = target;
        const found = await search(
          client,
          {
            patientId: target.patient.id,
            studyDateFrom: lower?.date,
            studyDateTo: upper?.date,
            // One modality narrows on the server; several are matched here (QIDO has no "or" across values everywhere).
            modality: modalities?.length === 1 ? modalities[0] : undefined,
          },
          signal,
        );
        const studies = selectPatientStudies(found, target);
        if (studies.length === 0) {
          const narrowed = lower || upper || modalities ? ' in the dates and modalities asked' : '';
          return { kind: 'error', message: unavailable(`${describePatient(target.patient)}${narrowed}`, sourceLabel) };
        }
        if (target.mostRecentResults === 1) return { kind: 'viewer', studyUIDs: [studies[0]!.studyInstanceUID] };
        return { kind: 'list', studies, patient: target.patient };
      }
    }
  } catch (e) {
    if (signal?.aborted) throw e;
    return { kind: 'error', message: `Could not search ${sourceLabel}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** The next step once accession numbers are resolved (again after the reader chose among studies sharing one). */
export function afterChoice(matches: AccessionMatch[], sourceLabel: string): LaunchResult {
  const outcome = accessionOutcome(matches);
  switch (outcome.kind) {
    case 'open':
      return { kind: 'viewer', studyUIDs: outcome.studyUIDs };
    case 'missing':
      return { kind: 'error', message: unavailable(`accession number ${outcome.accessionNumber}`, sourceLabel) };
    case 'choose':
      return { kind: 'choose', accessionNumber: outcome.accessionNumber, studies: outcome.studies, matches };
  }
}
