// Share links: the view a reader sees (layout, the series in each viewport, its image and window) as a viewer URL
// that holds UIDs and numbers only, never patient data, and back. Read-only unless the sharer allows editing.

import { VIEWER_PATH } from '../routes';
import { isUid } from './uid';

export interface SharedViewport {
  seriesInstanceUID: string;
  /** 0-based image in the series as the viewer orders it (the link shows it 1-based). */
  imageIndex: number;
  window?: { center: number; width: number };
}

export interface SharedView {
  studyInstanceUIDs: string[];
  /** Named only when it is not the deployment's default. */
  dataSource?: string;
  /** "RxC" for a grid, or "mpr" / "mpr3d". */
  layout: string;
  /** Per viewport in reading order; undefined for an empty one. */
  viewports: (SharedViewport | undefined)[];
  readOnly: boolean;
}

const LAYOUT = /^([1-9])x([1-9])$|^mpr3d$|^mpr$/;
const round = (v: number) => Math.round(v * 10) / 10;

/** The viewer URL (path and query) of a view. */
export function shareLink(view: SharedView): string {
  const p = new URLSearchParams();
  for (const uid of view.studyInstanceUIDs) p.append('StudyInstanceUIDs', uid);
  if (view.dataSource) p.set('datasource', view.dataSource);
  p.set('layout', view.layout);
  for (const vp of view.viewports) {
    p.append('vp', vp ? [vp.seriesInstanceUID, vp.imageIndex + 1, ...(vp.window ? [round(vp.window.center), round(vp.window.width)] : [])].join(',') : '');
  }
  if (view.readOnly) p.set('readonly', '1');
  return `${VIEWER_PATH}?${p}`;
}

/**
 * The viewports and layout a link asks for (`layout` and `vp` parameters); undefined when it names none. Malformed
 * entries are left empty rather than trusted: a link is user input.
 */
export function sharedViewports(search: URLSearchParams): { layout?: string; viewports: (SharedViewport | undefined)[] } | undefined {
  const layout = search.get('layout') ?? undefined;
  const entries = search.getAll('vp');
  if (entries.length === 0) return undefined;
  const viewports = entries.slice(0, 9).map((entry): SharedViewport | undefined => {
    const [series, image, center, width] = entry.split(',');
    if (!series || !isUid(series)) return undefined;
    const n = Number(image);
    const c = Number(center);
    const w = Number(width);
    return {
      seriesInstanceUID: series,
      imageIndex: Number.isInteger(n) && n >= 1 ? n - 1 : 0,
      window: center !== undefined && width !== undefined && Number.isFinite(c) && Number.isFinite(w) && w > 0 ? { center: c, width: w } : undefined,
    };
  });
  return { layout: layout && LAYOUT.test(layout) ? layout : undefined, viewports };
}
