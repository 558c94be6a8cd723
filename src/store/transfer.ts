import { create } from 'zustand';
import type { DeidOptions } from '../deid/deidentify';
import { deidSession, emptyReport, exportZip, instancesOf, sendInstances, type DeidSession, type InstanceRef, type TransferReport } from '../transfer/transfer';
import { mayExport } from '../auth/gateway';
import { LOCAL_SOURCE_NAME } from '../local/localSource';
import { accessToken, audit, useAuthStore } from './auth';
import { clientFor } from './config';

/** What to export or send: studies of a data source, or some series of one study. */
export interface TransferScope {
  dataSource: string;
  studyInstanceUIDs: string[];
  /** Some series of the (one) study; undefined: whole studies. */
  seriesInstanceUIDs?: string[];
}

export interface TransferJob {
  id: number;
  kind: 'zip' | 'send';
  /** Data source sent to (kind 'send'). */
  target?: string;
  deidentified: boolean;
  status: 'listing' | 'running' | 'done' | 'cancelled' | 'error';
  report: TransferReport;
  error?: string;
  /** The zip, when done: a Blob URL and a file name without patient data. */
  download?: { url: string; name: string };
  /** The zip was saved once by itself (the dialog offers it again, but does not repeat that on reopening). */
  autoSaved?: boolean;
}

interface TransferState {
  job?: TransferJob;
  startZip: (scope: TransferScope, deid?: DeidOptions) => Promise<void>;
  startSend: (scope: TransferScope, target: string, deid?: DeidOptions) => Promise<void>;
  /** Sends the instances that failed again (same de-identification session: the same new UIDs). */
  retryFailed: () => Promise<void>;
  cancel: () => void;
  dismiss: () => void;
  markAutoSaved: () => void;
}

let nextId = 1;
let controller: AbortController | undefined;
/** What the running or last job works on, for a retry. */
let last: { scope: TransferScope; refs: InstanceRef[]; session?: DeidSession } | undefined;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const today = () => new Date().toISOString().slice(0, 10);

/**
 * Export (zip download) and send (STOW-RS to another data source) jobs, one at a time; the dialog can close and
 * open again while one runs. Reports list instances by UID only.
 */
export const useTransferStore = create<TransferState>((set, get) => {
  const begin = async (kind: 'zip' | 'send', scope: TransferScope, deid: DeidOptions | undefined, target?: string) => {
    const source = clientFor(scope.dataSource);
    const to = target ? clientFor(target) : undefined;
    const previous = get().job?.download;
    if (previous) URL.revokeObjectURL(previous.url);
    controller?.abort();
    const ctl = new AbortController();
    controller = ctl;
    const id = nextId++;
    const update = (patch: Partial<TransferJob>) => set((s) => (s.job?.id === id ? { job: { ...s.job, ...patch } } : {}));
    set({ job: { id, kind, target, deidentified: !!deid, status: 'listing', report: emptyReport(0) } });
    if (!source || (kind === 'send' && !to)) {
      update({ status: 'error', error: `Unknown data source "${!source ? scope.dataSource : target}"` });
      return;
    }
    // Files opened from this computer and sent to a PACS are an upload (the gateway checks the STOW itself);
    // anything else leaving the archive is an export, which the gateway allows or refuses first.
    const upload = kind === 'send' && scope.dataSource === LOCAL_SOURCE_NAME;
    const report = (outcome: 'success' | 'failure', refs: InstanceRef[]) =>
      audit({
        type: upload ? 'local-upload' : deid ? 'deidentified-export' : 'export',
        outcome,
        studies: scope.studyInstanceUIDs.map((uid) => ({ studyInstanceUid: uid, instances: refs.filter((r) => r.studyInstanceUID === uid).length })),
      });
    try {
      if (!upload && useAuthStore.getState().enabled) {
        try {
          await mayExport(accessToken(), scope.studyInstanceUIDs);
        } catch (e) {
          throw new Error(`The gateway does not allow this export: ${message(e)}`);
        }
      }
      const refs = [];
      for (const study of scope.studyInstanceUIDs) refs.push(...(await instancesOf(source, study, scope.seriesInstanceUIDs, ctl.signal)));
      const session = deid ? deidSession(deid) : undefined;
      last = { scope, refs, session };
      update({ status: 'running', report: emptyReport(refs.length) });
      const onProgress = (report: TransferReport) => update({ report });
      if (kind === 'zip') {
        const { blob, report } = await exportZip(source, refs, session, onProgress, ctl.signal);
        const name = `${deid ? 'deidentified' : 'dicom'}-export-${today()}.zip`;
        update({ status: 'done', report, download: { url: URL.createObjectURL(blob), name } });
      } else {
        const sent = await sendInstances(source, to!, refs, session, onProgress, ctl.signal);
        update({ status: 'done', report: sent });
      }
      void report('success', refs);
    } catch (e) {
      update(ctl.signal.aborted ? { status: 'cancelled' } : { status: 'error', error: message(e) });
      if (!ctl.signal.aborted) void report('failure', []);
    }
  };
  return {
    startZip: (scope, deid) => begin('zip', scope, deid),
    startSend: (scope, target, deid) => begin('send', scope, deid, target),
    retryFailed: async () => {
      const job = get().job;
      if (!job || job.kind !== 'send' || !job.target || !last) return;
      const failed = new Set(Object.keys(job.report.failed));
      const refs = last.refs.filter((r) => failed.has(r.sopInstanceUID));
      const source = clientFor(last.scope.dataSource);
      const to = clientFor(job.target);
      if (!source || !to || refs.length === 0) return;
      const ctl = new AbortController();
      controller = ctl;
      const before = job.report;
      // An instance stays failed (with its old reason) until the retry has reported on it: a cancelled or broken
      // retry loses none of them.
      const merge = (r: TransferReport): TransferReport => {
        const reported = new Set([...r.stored, ...r.present, ...Object.keys(r.failed)]);
        return {
          total: before.total,
          done: before.done,
          stored: [...before.stored, ...r.stored],
          present: [...before.present, ...r.present],
          failed: { ...Object.fromEntries(Object.entries(before.failed).filter(([k]) => !reported.has(k))), ...r.failed },
          warnings: [...new Set([...before.warnings, ...r.warnings])],
        };
      };
      set({ job: { ...job, status: 'running', error: undefined, report: merge(emptyReport(refs.length)) } });
      try {
        const report = await sendInstances(source, to, refs, last.session, (r) => set((s) => (s.job?.id === job.id ? { job: { ...s.job, report: merge(r) } } : {})), ctl.signal);
        set((s) => (s.job?.id === job.id ? { job: { ...s.job, status: 'done', report: merge(report) } } : {}));
      } catch (e) {
        set((s) => (s.job?.id === job.id ? { job: { ...s.job, ...(ctl.signal.aborted ? { status: 'cancelled' as const } : { status: 'error' as const, error: message(e) }) } } : {}));
      }
    },
    cancel: () => controller?.abort(),
    markAutoSaved: () => set((s) => (s.job ? { job: { ...s.job, autoSaved: true } } : {})),
    dismiss: () => {
      const job = get().job;
      if (job?.status === 'running' || job?.status === 'listing') return;
      if (job?.download) URL.revokeObjectURL(job.download.url);
      set({ job: undefined });
    },
  };
});
