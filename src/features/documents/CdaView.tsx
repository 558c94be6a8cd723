// Encapsulated CDA: the XML read with DOMParser (which fetches nothing) and shown as text built from React
// elements: title, date, authors, sections with their paragraphs, lists and tables. A CDA whose body is a PDF shows
// the PDF.
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCdaTime, readCda, type CdaBlock, type CdaDocument, type CdaSection, type XmlNode } from '../../model/cda';
import type { ObjectViewProps } from '../objects/objectViewProps';
import { documentFileName } from './documentFileName';
import { DocumentError, DocumentLoading, useDocument } from './useDocument';
import './documents.css';

// pdf.js only for the CDA documents whose body is a PDF.
const PdfDocument = lazy(() => import('./PdfDocument').then((m) => ({ default: m.PdfDocument })));

async function parseCda(bytes: Uint8Array): Promise<CdaDocument> {
  const { readEncapsulatedDocument } = await import('../../dicom/encapsulated');
  const doc = readEncapsulatedDocument(bytes);
  // XML says its encoding in its declaration; DOMParser takes text, so decode by what it declares (UTF-8 if nothing).
  const declared = /^<\?xml[^>]*encoding=["']([\w.-]+)["']/.exec(new TextDecoder('latin1').decode(doc.bytes.subarray(0, 200)))?.[1];
  let text: string;
  try {
    text = new TextDecoder(declared ?? 'utf-8').decode(doc.bytes);
  } catch {
    text = new TextDecoder('utf-8').decode(doc.bytes);
  }
  const xml = new DOMParser().parseFromString(text.replace(/\0+$/, ''), 'application/xml');
  return readCda(xml as unknown as XmlNode);
}

function Block({ block }: { block: CdaBlock }) {
  switch (block.type) {
    case 'paragraph':
      return <p className="cda-paragraph">{block.text}</p>;
    case 'list': {
      const items = block.items.map((item, i) => (
        <li key={i}>
          {item.map((b, j) => (
            <Block key={j} block={b} />
          ))}
        </li>
      ));
      return block.ordered ? <ol>{items}</ol> : <ul>{items}</ul>;
    }
    case 'table':
      return (
        <table className="cda-table">
          {block.caption && <caption>{block.caption}</caption>}
          {block.head.length > 0 && (
            <thead>
              {block.head.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (
                    <th key={j}>{cell}</th>
                  ))}
                </tr>
              ))}
            </thead>
          )}
          <tbody>
            {block.body.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (
                  <td key={j}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
  }
}

function Section({ section, depth }: { section: CdaSection; depth: number }) {
  const Heading = (['h3', 'h4', 'h5', 'h6'] as const)[Math.min(depth, 3)]!;
  return (
    <section className="cda-section" data-testid="cda-section">
      {section.title && <Heading data-testid="cda-section-title">{section.title}</Heading>}
      {section.blocks.map((b, i) => (
        <Block key={i} block={b} />
      ))}
      {section.sections.map((s, i) => (
        <Section key={i} section={s} depth={depth + 1} />
      ))}
    </section>
  );
}

export default function CdaView(props: ObjectViewProps) {
  const { t } = useTranslation('documents');
  const { parsed, instance, picker } = useDocument(props, parseCda);
  if (parsed.status === 'loading') return <DocumentLoading />;
  if (parsed.status === 'error') return <DocumentError message={parsed.message} />;
  const cda = parsed.value;
  const body = cda.nonXmlBody;
  if (body?.bytes && /pdf/i.test(body.mediaType)) {
    return (
      <Suspense fallback={<DocumentLoading />}>
        <PdfDocument bytes={body.bytes} fileName={documentFileName(props.displaySet.series.seriesNumber, instance?.instanceNumber, 'pdf')} />
      </Suspense>
    );
  }
  return (
    <div className="doc-view" data-testid="cda-view">
      {picker && <div className="doc-toolbar">{picker}</div>}
      <article className="doc-body">
        <header className="doc-header">
          <h2 data-testid="document-title">{cda.title || t('cda.untitled')}</h2>
          <dl className="doc-facts">
            {cda.effectiveTime && (
              <div>
                <dt>{t('cda.date')}</dt>
                <dd>{formatCdaTime(cda.effectiveTime)}</dd>
              </div>
            )}
            {cda.authors.map((a, i) => (
              <div key={i}>
                <dt>{t('cda.author')}</dt>
                <dd>{a}</dd>
              </div>
            ))}
          </dl>
        </header>
        {body?.text !== undefined && <p className="sr-text">{body.text}</p>}
        {body && body.text === undefined && <p className="error-text">{t('cda.unsupportedBody', { type: body.mediaType })}</p>}
        {!body && cda.sections.length === 0 && <p className="muted">{t('cda.noSections')}</p>}
        {cda.sections.map((s, i) => (
          <Section key={i} section={s} depth={0} />
        ))}
      </article>
    </div>
  );
}
