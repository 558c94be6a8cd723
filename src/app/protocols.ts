import { seriesOrientation, BUILT_IN_PROTOCOLS, chooseProtocol, matchProtocols, type HangingProtocol, type ProtocolResult, type ProtocolStudy } from '../model/hangingProtocols';
import { isImageInstance } from '../model/displaySet';
import { isNonImageModality } from '../model/modalities';
import { useConfigStore } from '../store/config';
import { useStudyStore } from '../store/study';
import { useViewerStore } from '../store/viewer';

/** The site's protocols (config.json "hangingProtocols") before the built-in ones: same ids replace them. */
export function allProtocols(): HangingProtocol[] {
  const site = useConfigStore.getState().config?.hangingProtocols ?? [];
  const ids = new Set(site.map((p) => p.id));
  return [...site, ...BUILT_IN_PROTOCOLS.filter((p) => !ids.has(p.id))];
}

/** What protocol matching sees of an open study: its record and series (orientation once metadata is there). */
export function protocolStudyOf(studyUID: string): ProtocolStudy | undefined {
  const s = useStudyStore.getState();
  const entry = s.studies[studyUID];
  const order = s.seriesOrder[studyUID];
  if (!order) return undefined;
  const series = order
    .map((uid) => s.series[uid])
    .filter((e) => e !== undefined)
    .map((e) => {
      const first = e.displaySet?.frames.find((f) => isImageInstance(f.instance));
      return {
        studyInstanceUID: studyUID,
        seriesInstanceUID: e.summary.seriesInstanceUID,
        modality: e.summary.modality,
        description: e.summary.description,
        bodyPart: e.summary.bodyPart,
        seriesNumber: e.summary.seriesNumber,
        // QIDO may not count instances; a listed series is taken to have images until its metadata says otherwise.
        numImages: e.displaySet ? e.displaySet.frames.length : (e.summary.numInstances ?? 1),
        orientation: seriesOrientation(first?.instance.imageOrientationPatient),
      };
    });
  const modalities = entry?.summary?.modalities.length ? entry.summary.modalities : [...new Set(series.map((x) => x.modality))];
  return {
    studyInstanceUID: studyUID,
    studyDate: entry?.summary?.studyDate ?? '',
    description: entry?.summary?.description ?? '',
    modalities,
    bodyPart: series.find((x) => x.bodyPart)?.bodyPart,
    series,
  };
}

function studiesForProtocols(): { current: ProtocolStudy; priors: ProtocolStudy[] } | undefined {
  const { studyUIDs } = useStudyStore.getState();
  const current = studyUIDs[0] ? protocolStudyOf(studyUIDs[0]) : undefined;
  if (!current) return undefined;
  return { current, priors: studyUIDs.slice(1).map(protocolStudyOf).filter((p): p is ProtocolStudy => p !== undefined) };
}

/** The main modality of the current study, the key under which the reader's protocol choice is remembered. */
function modalityKey(current: ProtocolStudy): string {
  return current.series.find((s) => s.numImages > 0 && !isNonImageModality(s.modality))?.modality ?? current.modalities[0] ?? '';
}

/** Protocols that apply to the open studies, best first (for the toolbar's picker). */
export function applicableProtocols(): HangingProtocol[] {
  const open = studiesForProtocols();
  if (!open) return [];
  const matched = matchProtocols(allProtocols(), open.current, open.priors).map((m) => m.protocol);
  return matched;
}

/** Shows a protocol's result: its layout and series, with their windows; MPR opens the volume. */
export function showProtocolResult(result: ProtocolResult): void {
  const viewer = useViewerStore.getState();
  if (result.layout === 'mpr') {
    const uid = result.viewports[0]?.seriesInstanceUID;
    if (!uid) return;
    viewer.restoreView({ rows: 1, cols: 1 }, [{ seriesInstanceUID: uid }]);
    useViewerStore.getState().openMpr(uid, -1, 0, result.viewports[0]?.window);
  } else {
    if (viewer.mpr) useViewerStore.setState({ mpr: undefined });
    viewer.restoreView(
      result.layout,
      result.viewports.map((v) => (v.seriesInstanceUID ? { seriesInstanceUID: v.seriesInstanceUID, initialWindow: v.window } : {})),
    );
  }
  const groups = new Map<string, number[]>();
  if (result.layout !== 'mpr') {
    result.viewports.forEach((v, i) => {
      if (v.syncGroup && v.seriesInstanceUID) groups.set(v.syncGroup, [...(groups.get(v.syncGroup) ?? []), i]);
    });
  }
  useViewerStore.setState({
    protocol: { id: result.protocolId, name: result.protocolName },
    links: {},
    syncGroups: [...groups.values()].filter((g) => g.length > 1),
  });
}

/**
 * Hangs the open studies by protocol: `protocolId` when given (the reader chose it: remembered for this modality
 * for the session), else the remembered choice for the modality, else the best match, else the default.
 */
export function hangByProtocol(protocolId?: string): ProtocolResult | undefined {
  const open = studiesForProtocols();
  if (!open) return undefined;
  const key = modalityKey(open.current);
  const viewer = useViewerStore.getState();
  if (protocolId) viewer.rememberProtocol(key, protocolId);
  const result = chooseProtocol(allProtocols(), open.current, open.priors, protocolId ?? viewer.protocolChoices[key]);
  showProtocolResult(result);
  return result;
}

/**
 * A layout larger than the study's series: its empty viewports take the shown protocol's viewports that are not on
 * screen yet (for the chest protocol, the CT in its other window), in the protocol's order. Returns how many it filled.
 */
export function fillFromProtocol(): number {
  const viewer = useViewerStore.getState();
  if (!viewer.protocol || viewer.mpr || viewer.slots.every((s) => s.seriesInstanceUID)) return 0;
  const open = studiesForProtocols();
  if (!open) return 0;
  const result = chooseProtocol(allProtocols(), open.current, open.priors, viewer.protocol.id);
  if (result.protocolId !== viewer.protocol.id || result.layout === 'mpr') return 0;
  const key = (uid: string | undefined, w?: { center: number; width: number }) => `${uid}|${w ? `${w.center}/${w.width}` : ''}`;
  const shown = new Set(viewer.slots.map((s) => key(s.seriesInstanceUID, s.initialWindow)));
  const queue = result.viewports.filter((v) => v.seriesInstanceUID && !shown.has(key(v.seriesInstanceUID, v.window)));
  if (queue.length === 0) return 0;
  let filled = 0;
  const slots = viewer.slots.map((slot) => {
    if (slot.seriesInstanceUID) return slot;
    const next = queue.shift();
    if (!next) return slot;
    filled++;
    return { seriesInstanceUID: next.seriesInstanceUID, initialWindow: next.window };
  });
  useViewerStore.setState({ slots });
  return filled;
}
