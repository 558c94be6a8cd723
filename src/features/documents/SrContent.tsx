// A structured report's header and content tree as text: containers as headings, every other item as a line with
// its concept and value; image references as buttons that show the image beside the report. Text only (React
// escapes it): nothing in a report is ever markup.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { showReferencedImage, type ShowImageResult } from '../../app/documents';
import { formatPersonName } from '../../model/format';
import { formatSrDate, formatSrDateTime, formatSrTime, unitText, type Code, type SrDocument, type SrNode, type SrReference } from '../../model/srDocument';
import { useStudyStore } from '../../store/study';
import { useControllers } from '../viewer/controllers';

const RELATIONSHIPS = new Set(['HAS OBS CONTEXT', 'HAS ACQ CONTEXT', 'HAS CONCEPT MOD', 'HAS PROPERTIES', 'INFERRED FROM', 'SELECTED FROM']);

const meaning = (code: Code | undefined) => code?.meaning || code?.value || '';

function useNumber() {
  const { i18n } = useTranslation();
  return (value: number) => new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 6 }).format(value);
}

/** The header: title, flags, verifier, authors, content date. */
export function SrHeader({ doc, fallbackTitle }: { doc: SrDocument; fallbackTitle: string }) {
  const { t } = useTranslation('documents');
  const rows: [string, string][] = [];
  if (doc.completion) rows.push([t('sr.completion.label'), t(`sr.completion.${doc.completion}`, { defaultValue: doc.completion })]);
  if (doc.verification) rows.push([t('sr.verification.label'), t(`sr.verification.${doc.verification}`, { defaultValue: doc.verification })]);
  if (doc.preliminary) rows.push([t('sr.preliminary.label'), t(`sr.preliminary.${doc.preliminary}`, { defaultValue: doc.preliminary })]);
  for (const v of doc.verifiers) {
    rows.push([t('sr.verifiedBy'), [formatPersonName(v.name), v.organization, formatSrDateTime(v.dateTime)].filter(Boolean).join(' · ')]);
  }
  for (const a of doc.authors) rows.push([t('sr.author'), formatPersonName(a)]);
  if (doc.contentDate) rows.push([t('sr.contentDate'), `${formatSrDate(doc.contentDate)} ${doc.contentTime ? formatSrTime(doc.contentTime) : ''}`.trim()]);
  if (doc.template) rows.push([t('sr.template'), `TID ${doc.template}`]);
  return (
    <header className="doc-header">
      <h2 data-testid="document-title">{meaning(doc.title) || fallbackTitle}</h2>
      {rows.length > 0 && (
        <dl className="doc-facts" data-testid="sr-header">
          {rows.map(([k, v], i) => (
            <div key={i}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      )}
      {doc.truncated && (
        <p className="warning-text" role="status">
          {t('sr.truncated')}
        </p>
      )}
    </header>
  );
}

/** A button showing the referenced image beside the report (viewport `from`), with where it is. */
export function ImageLink({ reference, from }: { reference: SrReference; from: number }) {
  const { t } = useTranslation('documents');
  const controllers = useControllers();
  const [result, setResult] = useState<ShowImageResult>();
  const seriesUID = reference.seriesInstanceUID;
  const series = useStudyStore((s) => (seriesUID ? s.series[seriesUID] : undefined));
  const index = series?.displaySet?.frames.findIndex((f) => f.sopInstanceUID === reference.sopInstanceUID && f.frameNumber === (reference.frames[0] ?? 1)) ?? -1;
  const problem: Exclude<ShowImageResult, 'shown'> | undefined =
    !seriesUID ? 'no-series' : !series ? 'not-open' : series.displaySet && index < 0 ? 'not-in-series' : result === 'shown' ? undefined : result;
  const where = series ? [series.summary.description, index >= 0 ? `${index + 1}/${series.displaySet!.frames.length}` : ''].filter(Boolean).join(' · ') : '';
  return (
    <span className="sr-image">
      <button
        type="button"
        className="link-button"
        data-testid="sr-image-link"
        data-sop-instance-uid={reference.sopInstanceUID}
        disabled={problem !== undefined}
        onClick={() => void showReferencedImage(reference, from, controllers).then(setResult)}
      >
        {t('sr.showImage')}
      </button>
      {where && <span className="muted"> {where}</span>}
      {reference.frames.length > 0 && <span className="muted"> · {t('sr.frame', { frame: reference.frames.join(', ') })}</span>}
      {problem && (
        <span className="muted">
          {' '}
          ({t(problem === 'no-series' ? 'sr.imageNoSeries' : problem === 'not-open' ? 'sr.imageNotOpen' : 'sr.imageNotInSeries')})
        </span>
      )}
    </span>
  );
}

function points(values: number[], per: number, format: (v: number) => string): string {
  const out: string[] = [];
  for (let i = 0; i + per <= values.length; i += per) out.push(`(${values.slice(i, i + per).map(format).join(', ')})`);
  return out.join(' ');
}

/** One item's value, as text (or an image link). */
function Value({ node, from }: { node: SrNode; from: number }) {
  const { t } = useTranslation('documents');
  const number = useNumber();
  switch (node.type) {
    case 'CONTAINER':
      return null;
    case 'TEXT':
      return <span className="sr-text">{node.text}</span>;
    case 'CODE':
      return <span>{meaning(node.code) || t('sr.noValue')}</span>;
    case 'NUM': {
      if (node.value === undefined) return <span className="muted">{meaning(node.qualifier) || t('sr.noValue')}</span>;
      const unit = unitText(node.unit);
      return (
        <span data-testid="sr-num">
          {number(node.value)}
          {unit ? ` ${unit}` : ''}
        </span>
      );
    }
    case 'DATE':
      return <span>{formatSrDate(node.value)}</span>;
    case 'TIME':
      return <span>{formatSrTime(node.value)}</span>;
    case 'DATETIME':
      return <span>{formatSrDateTime(node.value)}</span>;
    case 'PNAME':
      return <bdi>{formatPersonName(node.value)}</bdi>;
    case 'UIDREF':
      return <span className="uid">{node.value}</span>;
    case 'IMAGE':
    case 'COMPOSITE':
    case 'WAVEFORM':
      return node.reference ? <ImageLink reference={node.reference} from={from} /> : <span className="muted">{t('sr.noValue')}</span>;
    case 'SCOORD':
      return <span>{t('sr.scoord', { type: node.graphicType, points: points(node.points, 2, number) })}</span>;
    case 'SCOORD3D':
      return <span>{t('sr.scoord3d', { type: node.graphicType, points: points(node.points, 3, number) })}</span>;
    case 'TCOORD':
      return <span>{t('sr.tcoord', { type: node.rangeType })}</span>;
    case 'REFERENCE':
      return <span className="muted">{t('sr.reference', { id: node.target })}</span>;
    case 'OTHER':
      return <span className="muted">{t('sr.otherType', { type: node.valueType || '?' })}</span>;
  }
}

/** A content item and its children: a container as a heading over its items, any other item as a line. */
export function SrItem({ node, depth, from }: { node: SrNode; depth: number; from: number }) {
  const { t } = useTranslation('documents');
  const children = node.children.length > 0 && (
    <div className={node.type === 'CONTAINER' ? 'sr-section' : 'sr-children'}>
      {node.children.map((c) => (
        <SrItem key={c.id} node={c} depth={depth + 1} from={from} />
      ))}
    </div>
  );
  const relationship = RELATIONSHIPS.has(node.relationship) ? <span className="sr-rel">{t(`sr.relationship.${node.relationship}`)}</span> : null;
  if (node.type === 'CONTAINER') {
    const Heading = (['h3', 'h4', 'h5', 'h6'] as const)[Math.min(depth, 3)]!;
    const title = meaning(node.concept);
    return (
      <section data-testid="sr-container">
        {title && (
          <Heading className="sr-heading">
            {relationship}
            {title}
          </Heading>
        )}
        {children}
      </section>
    );
  }
  const concept = meaning(node.concept);
  return (
    <div className="sr-item" data-testid="sr-item" data-value-type={node.type}>
      <p>
        {relationship}
        {concept && <span className="sr-concept">{concept}: </span>}
        <Value node={node} from={from} />
      </p>
      {children}
    </div>
  );
}

/** The whole content tree under the document title (the root container's own heading is the title). */
export function SrTree({ doc, from }: { doc: SrDocument; from: number }) {
  return (
    <div className="sr-tree" data-testid="sr-tree">
      {doc.root.children.map((c) => (
        <SrItem key={c.id} node={c} depth={0} from={from} />
      ))}
    </div>
  );
}
