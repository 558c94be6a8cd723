import dcmjs from 'dcmjs';
import { useMemo, useState } from 'react';
import type { DicomJson, DicomJsonAttribute } from '../../dicom/json';
import { Modal } from '../common/Modal';

interface Row {
  depth: number;
  tag: string;
  vr: string;
  name: string;
  value: string;
}

function formatValue(attr: DicomJsonAttribute): string {
  if (attr.InlineBinary !== undefined) return `(binary, ${Math.floor((attr.InlineBinary.length * 3) / 4)} bytes)`;
  if (attr.BulkDataURI !== undefined) return '(bulk data on the server)';
  if (attr.vr === 'SQ') return `(${attr.Value?.length ?? 0} item${attr.Value?.length === 1 ? '' : 's'})`;
  return (attr.Value ?? [])
    .map((v) => (v && typeof v === 'object' ? Object.values(v as Record<string, string>).join('=') : String(v)))
    .join('\\');
}

/** Flattens a dataset (and its sequences, indented) into rows; values stay plain text. */
export function tagRows(ds: DicomJson, nameOf: (tag: string) => string, depth = 0): Row[] {
  const rows: Row[] = [];
  for (const tag of Object.keys(ds).sort()) {
    const attr = ds[tag];
    if (!attr) continue;
    rows.push({ depth, tag, vr: attr.vr, name: nameOf(tag), value: formatValue(attr) });
    if (attr.vr === 'SQ') {
      (attr.Value ?? []).forEach((item, i) => {
        rows.push({ depth: depth + 1, tag: '', vr: '', name: `Item ${i + 1}`, value: '' });
        rows.push(...tagRows(item as DicomJson, nameOf, depth + 2));
      });
    }
  }
  return rows;
}

const punctuate = (tag: string) => `(${tag.slice(0, 4)},${tag.slice(4)})`;

/** Attribute names from dcmjs's dictionary (already part of the viewer chunk through Cornerstone). */
function nameOf(tag: string): string {
  return dcmjs.data.DicomMetaDictionary.dictionary[punctuate(tag)]?.name ?? (parseInt(tag.slice(0, 4), 16) % 2 ? 'Private' : '');
}

/** Every attribute of the current image's instance, as text (DICOM text is never rendered as HTML). */
export function TagBrowser({ dataset, title, onClose }: { dataset: DicomJson; title: string; onClose: () => void }) {
  const [filter, setFilter] = useState('');
  const rows = useMemo(() => tagRows(dataset, nameOf), [dataset]);
  const needle = filter.trim().toLowerCase().replace(/[(),]/g, '');
  const shown = needle
    ? rows.filter((r) => `${r.tag} ${r.name} ${r.value}`.toLowerCase().includes(needle))
    : rows;

  return (
    <Modal
      title={`DICOM tags — ${title}`}
      className="tag-browser"
      testId="tag-browser"
      onClose={onClose}
      headerExtra={
        <input
          autoFocus
          placeholder="Filter by tag, name or value"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          aria-label="Filter tags"
        />
      }
    >
      <div className="tag-table-wrap">
        <table className="tag-table">
          <thead>
            <tr>
              <th>Tag</th>
              <th>VR</th>
              <th>Name</th>
              <th>Value</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r, i) => (
              <tr key={i} data-tag={r.tag}>
                {/* Indentation stops growing after 16 levels so deeply nested sequences stay readable. */}
                <td style={{ paddingLeft: `${0.5 + Math.min(r.depth, 16)}em` }} title={r.depth ? `nesting level ${Math.ceil(r.depth / 2)}` : undefined}>
                  {r.tag ? punctuate(r.tag) : ''}
                </td>
                <td>{r.vr}</td>
                <td>{r.name}</td>
                <td className="tag-value">{r.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Modal>
  );
}
