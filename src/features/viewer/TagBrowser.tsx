import dcmjs from 'dcmjs';
import { useEffect, useMemo, useState } from 'react';
import type { DicomJson, DicomJsonAttribute } from '../../dicom/json';
import { registeredUid } from '../../dicom/uids';
import { useStudyStore } from '../../store/study';
import { useTranslation } from 'react-i18next';
import { Modal } from '../common/Modal';
import { ErrorText } from '../common/ErrorText';
import { useFormat } from '../common/useFormat';

/** One attribute of a dataset, as the tag browser lists it. */
export interface TagNode {
  /** Unique in the dataset: the tag, under a sequence `<sequence path>/<item index>/<tag>`. */
  path: string;
  /** Sequence nesting (0: the instance's own attributes). */
  depth: number;
  tag: string;
  vr: string;
  /** The dictionary keyword ("InstanceNumber"); empty when the dictionary does not know the tag. */
  keyword: string;
  /** The value as text (DICOM text stays text: React renders it, never as HTML). */
  value: string;
  /** Registered UIDs among the values (transfer syntax, SOP class…): their names from PS3.6 Table A-1. */
  uidNames: { uid: string; name: string; retired: boolean }[];
  /** Private data element (odd group): its reservation (`creator`) or an element of a reserved block. */
  private?: 'creator' | 'element';
  /** A private element's block owner, from the creator element that reserved it. */
  creator?: string;
  /** A sequence's items. */
  items?: TagNode[][];
}

function formatValue(attr: DicomJsonAttribute): string {
  if (attr.InlineBinary !== undefined) return `(binary, ${Math.floor((attr.InlineBinary.length * 3) / 4)} bytes)`;
  if (attr.BulkDataURI !== undefined) return '(bulk data on the server)';
  if (attr.vr === 'SQ') return `(${attr.Value?.length ?? 0} item${attr.Value?.length === 1 ? '' : 's'})`;
  return (attr.Value ?? [])
    .map((v) => (v && typeof v === 'object' ? Object.values(v as Record<string, string>).join('=') : String(v)))
    .join('\\');
}

/** Odd groups hold private data elements, except the few PS3.5 7.8.1 leaves out (0001, 0003, 0005, 0007, FFFF). */
export function isPrivateGroup(group: number): boolean {
  return group % 2 === 1 && group > 0x0007 && group !== 0xffff;
}

/** Turns a dataset into the browser's tree; sequences keep their items. */
export function tagTree(ds: DicomJson, keywordOf: (tag: string) => string, parent = '', depth = 0): TagNode[] {
  const tags = Object.keys(ds).sort();
  return tags.flatMap((tag): TagNode[] => {
    const attr = ds[tag];
    if (!attr) return [];
    const path = parent ? `${parent}/${tag}` : tag;
    const group = parseInt(tag.slice(0, 4), 16);
    const element = parseInt(tag.slice(4), 16);
    const node: TagNode = { path, depth, tag, vr: attr.vr, keyword: keywordOf(tag), value: formatValue(attr), uidNames: [] };
    if (isPrivateGroup(group)) {
      if (element >= 0x10 && element <= 0xff) node.private = 'creator';
      else if (element >= 0x1000) {
        node.private = 'element';
        const reservation = ds[`${tag.slice(0, 4)}00${tag.slice(4, 6)}`]?.Value?.[0];
        if (typeof reservation === 'string') node.creator = reservation.trim();
      }
    }
    if (attr.vr === 'UI') {
      for (const v of attr.Value ?? []) {
        const known = typeof v === 'string' ? registeredUid(v) : undefined;
        if (known) node.uidNames.push({ uid: String(v), name: known.name, retired: known.retired });
      }
    }
    if (attr.vr === 'SQ') {
      node.items = (attr.Value ?? []).map((item, i) => tagTree(item as DicomJson, keywordOf, `${path}/${i}`, depth + 1));
    }
    return [node];
  });
}

/** The sequence attributes of a tree, at any depth (for "expand all"). */
export function sequencePaths(nodes: readonly TagNode[]): string[] {
  return nodes.flatMap((n) => (n.items ? [n.path, ...n.items.flatMap(sequencePaths)] : []));
}

export type TagRow =
  | { kind: 'tag'; node: TagNode; expanded: boolean }
  | { kind: 'item'; path: string; depth: number; index: number; count: number };

/**
 * What a search text matches: a tag as `gggg,eeee`, `(gggg,eeee)` or `ggggeeee` (or its start), a keyword (spaces
 * ignored, so "instance number" finds InstanceNumber), a value, a UID's registered name or a private creator.
 */
export function matchesSearch(node: TagNode, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (!needle) return true;
  const compact = needle.replace(/[\s(),]/g, '');
  if (compact && (node.tag.toLowerCase().startsWith(compact) || node.keyword.toLowerCase().includes(compact))) return true;
  const text = [node.value, node.creator ?? '', ...node.uidNames.map((u) => u.name)].join(' ').toLowerCase();
  return text.includes(needle);
}

/**
 * The rows to show: each attribute, and under an expanded sequence its items and their attributes. With a search,
 * only matching attributes and the sequences and items that lead to them (opened whatever their state).
 */
export function visibleRows(nodes: readonly TagNode[], expanded: ReadonlySet<string>, search = ''): TagRow[] {
  const searching = search.trim() !== '';
  const hasMatch = (n: TagNode): boolean => matchesSearch(n, search) || (n.items ?? []).some((item) => item.some(hasMatch));
  const walk = (list: readonly TagNode[], filtered: boolean): TagRow[] =>
    list.flatMap((node): TagRow[] => {
      if (filtered && !hasMatch(node)) return [];
      const self = !filtered || matchesSearch(node, search);
      // A sequence opens by itself when what was searched for is inside it.
      const inside = filtered && (node.items ?? []).some((item) => item.some(hasMatch));
      const open = !!node.items && (expanded.has(node.path) || inside);
      const rows: TagRow[] = [{ kind: 'tag', node, expanded: open }];
      if (open && node.items) {
        // Inside a sequence that matched itself, everything shows; otherwise only the way to the matches.
        const filterInside = filtered && !(self && expanded.has(node.path));
        node.items.forEach((item, index) => {
          if (filterInside && !item.some(hasMatch)) return;
          rows.push({ kind: 'item', path: `${node.path}/${index}`, depth: node.depth + 1, index, count: node.items!.length });
          rows.push(...walk(item, filterInside));
        });
      }
      return rows;
    });
  return walk(nodes, searching);
}

const punctuate = (tag: string) => `(${tag.slice(0, 4)},${tag.slice(4)})`;

/** Keywords from dcmjs's dictionary (already part of the viewer chunk through Cornerstone). */
function keywordOf(tag: string): string {
  return dcmjs.data.DicomMetaDictionary.dictionary[punctuate(tag)]?.name ?? '';
}

/** Per-frame Functional Groups Sequence: its item n describes frame n of a multi-frame image. */
const PER_FRAME_GROUPS = '52009230';

/** Whether an item row is the shown frame's item of the instance's Per-frame Functional Groups Sequence. */
export function isFrameItem(itemPath: string, frame: { frameNumber: number; instance: { numberOfFrames: number } } | undefined): boolean {
  return !!frame && frame.instance.numberOfFrames > 1 && itemPath === `${PER_FRAME_GROUPS}/${frame.frameNumber - 1}`;
}

interface Props {
  /** The series and image (as the viewer numbers them, 0-based) to open on. */
  seriesUID: string;
  imageIndex: number;
  onClose: () => void;
}

/**
 * Every attribute of an image's instance, as text (DICOM text is never rendered as HTML): any image of any open
 * series, sequences expandable, registered UIDs named, private elements marked.
 */
export function TagBrowser({ seriesUID: initialSeries, imageIndex, onClose }: Props) {
  const studyUIDs = useStudyStore((s) => s.studyUIDs);
  const seriesOrder = useStudyStore((s) => s.seriesOrder);
  const entries = useStudyStore((s) => s.series);
  const [seriesUID, setSeriesUID] = useState(initialSeries);
  const [index, setIndex] = useState(imageIndex);
  const [search, setSearch] = useState('');
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const { t } = useTranslation('viewer');
  const format = useFormat();

  const entry = entries[seriesUID];
  const frames = entry?.displaySet?.frames ?? [];
  const at = Math.min(Math.max(index, 0), Math.max(frames.length - 1, 0));
  const frame = frames[at];
  const dataset = frame?.instance.raw;

  useEffect(() => {
    if (entry && entry.status !== 'ready' && entry.status !== 'loading') void useStudyStore.getState().loadSeries(seriesUID);
  }, [entry, seriesUID]);

  const tree = useMemo(() => (dataset ? tagTree(dataset, keywordOf) : []), [dataset]);
  const rows = useMemo(() => visibleRows(tree, expanded, search), [tree, expanded, search]);
  const toggle = (path: string) =>
    setExpanded((s) => {
      const next = new Set(s);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });

  const seriesList = studyUIDs.flatMap((study) => seriesOrder[study] ?? []).filter((uid) => entries[uid]);
  const multiFrame = frame && frame.instance.numberOfFrames > 1;
  const title = frame
    ? t('tags.imageOf', { n: format.number(at + 1), total: format.number(frames.length) }) +
      (multiFrame ? t('tags.frameOf', { n: format.number(frame.frameNumber), total: format.number(frame.instance.numberOfFrames) }) : '')
    : t('tags.noImage');

  return (
    <Modal
      title={t('tags.title', { what: title })}
      className="tag-browser"
      testId="tag-browser"
      onClose={onClose}
      headerExtra={
        <input
          autoFocus
          type="search"
          placeholder={t('tags.search')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          aria-label={t('tags.filter')}
        />
      }
    >
      <div className="tag-controls">
        <label>
          {t('tags.series')}{' '}
          <select
            aria-label={t('tags.series')}
            value={seriesUID}
            onChange={(e) => {
              setSeriesUID(e.target.value);
              setIndex(0);
            }}
          >
            {seriesList.map((uid) => {
              const s = entries[uid]!.summary;
              return (
                <option key={uid} value={uid}>
                  {[s.seriesNumber !== undefined ? `#${s.seriesNumber}` : '', s.modality, s.description || t('common:noDescription')].filter(Boolean).join(' ')}
                </option>
              );
            })}
          </select>
        </label>
        {frames.length > 0 && (
          <>
            <input
              type="range"
              aria-label={t('tags.image')}
              min={1}
              max={frames.length}
              value={at + 1}
              onChange={(e) => setIndex(Number(e.target.value) - 1)}
              disabled={frames.length < 2}
            />
            <label>
              {t('tags.image')}{' '}
              <input
                type="number"
                aria-label={t('tags.imageNumber')}
                min={1}
                max={frames.length}
                value={at + 1}
                onChange={(e) => {
                  const n = Number(e.target.value);
                  if (Number.isInteger(n) && n >= 1) setIndex(Math.min(n, frames.length) - 1);
                }}
              />{' '}
              {t('tags.of', { total: format.number(frames.length) })}
            </label>
            {multiFrame && (
              <span data-testid="tag-frame">
                {t('tags.frame', { n: format.number(frame.frameNumber), total: format.number(frame.instance.numberOfFrames) })}
              </span>
            )}
          </>
        )}
        <span className="spacer" />
        <button type="button" onClick={() => setExpanded(new Set(sequencePaths(tree)))}>
          {t('tags.expandAll')}
        </button>
        <button type="button" onClick={() => setExpanded(new Set())}>
          {t('tags.collapseAll')}
        </button>
      </div>
      {!entry || entry.status === 'loading' || entry.status === 'pending' ? (
        <p className="tag-note" role="status">
          {t('tags.loading')}
        </p>
      ) : entry.status === 'error' ? (
        <p className="tag-note error-text" role="alert">
          <ErrorText message={entry.error ?? ''} />
        </p>
      ) : !dataset ? (
        <p className="tag-note">{t('tags.noImages')}</p>
      ) : (
        // The attributes read left to right in every language: tags, keywords and values are DICOM's own.
        <div className="tag-table-wrap" dir="ltr">
          <table className="tag-table">
            <thead>
              <tr>
                <th>{t('tags.tag')}</th>
                <th>VR</th>
                <th>{t('tags.keyword')}</th>
                <th>{t('tags.value')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) =>
                r.kind === 'item' ? (
                  <tr key={r.path} className="tag-item" data-path={r.path}>
                    <td style={indent(r.depth * 2 - 1)} colSpan={4}>
                      {t('tags.item', { n: r.index + 1, total: r.count })}
                      {isFrameItem(r.path, frame) ? t('tags.thisFrame') : ''}
                    </td>
                  </tr>
                ) : (
                  <tr key={r.node.path} data-tag={r.node.tag} data-path={r.node.path} data-private={r.node.private}>
                    <td style={indent(r.node.depth * 2)} title={r.node.depth ? t('tags.nesting', { n: r.node.depth }) : undefined}>
                      {r.node.items ? (
                        <button
                          type="button"
                          className="seq-toggle"
                          aria-expanded={r.expanded}
                          aria-label={t(r.expanded ? 'tags.collapse' : 'tags.expand', { what: r.node.keyword || punctuate(r.node.tag) })}
                          onClick={() => toggle(r.node.path)}
                        >
                          {r.expanded ? '▾' : '▸'}
                        </button>
                      ) : null}
                      {punctuate(r.node.tag)}
                    </td>
                    <td>{r.node.vr}</td>
                    <td>
                      {r.node.private ? (
                        <>
                          <span className="private-badge">{r.node.private === 'creator' ? t('tags.privateCreator') : t('tags.private')}</span>{' '}
                          {r.node.creator ?? ''}
                        </>
                      ) : (
                        r.node.keyword
                      )}
                    </td>
                    <td className="tag-value">
                      {r.node.value}
                      {r.node.uidNames.map((u) => (
                        <span key={u.uid} className="uid-name" data-testid="uid-name">
                          {' '}
                          = {u.name}
                          {u.retired ? t('tags.retired') : ''}
                        </span>
                      ))}
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
          {rows.length === 0 && <p className="tag-note">{t('tags.noMatch', { search: search.trim() })}</p>}
        </div>
      )}
    </Modal>
  );
}

// Indentation stops growing after 16 levels so deeply nested sequences stay readable.
const indent = (level: number) => ({ paddingLeft: `${0.5 + Math.min(Math.max(level, 0), 16)}em` });
