// Encapsulated PDF: the document inside the DICOM object, drawn with pdf.js.
import { useTranslation } from 'react-i18next';
import type { ObjectViewProps } from '../objects/objectViewProps';
import { documentFileName } from './documentFileName';
import { PdfDocument } from './PdfDocument';
import { DocumentError, DocumentLoading, useDocument } from './useDocument';
import './documents.css';

async function parsePdf(bytes: Uint8Array): Promise<{ bytes: Uint8Array; mimeType: string }> {
  const { readEncapsulatedDocument } = await import('../../dicom/encapsulated');
  const doc = readEncapsulatedDocument(bytes);
  return { bytes: doc.bytes, mimeType: doc.mimeType };
}

export default function PdfView(props: ObjectViewProps) {
  const { t } = useTranslation('documents');
  const { parsed, instance, picker } = useDocument(props, parsePdf);
  if (parsed.status === 'loading') return <DocumentLoading />;
  if (parsed.status === 'error') return <DocumentError message={parsed.message} />;
  const { bytes, mimeType } = parsed.value;
  const isPdf = /pdf/i.test(mimeType) || new TextDecoder().decode(bytes.subarray(0, 5)) === '%PDF-';
  if (!isPdf) return <DocumentError message={t('pdf.notPdf', { type: mimeType || '?' })} />;
  return (
    <>
      {picker && <div className="doc-toolbar">{picker}</div>}
      <PdfDocument key={instance?.sopInstanceUID} bytes={bytes} fileName={documentFileName(props.displaySet.series.seriesNumber, instance?.instanceNumber, 'pdf')} />
    </>
  );
}
