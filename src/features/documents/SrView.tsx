// The report reader: any structured report (Basic Text, Enhanced, Comprehensive, Comprehensive 3D…) as headings
// and text. A measurement report (TID 1500) read here can also put its measurements on the images.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { openReport } from '../../app/reports';
import { isMeasurementReport, readSrDocument, type SrDocument } from '../../model/srDocument';
import type { ObjectViewProps } from '../objects/objectViewProps';
import { useImagingSession } from '../viewer/controllers';
import { SrHeader, SrTree } from './SrContent';
import { DocumentError, DocumentLoading, useDocument } from './useDocument';
import './documents.css';

export async function parseSr(bytes: Uint8Array): Promise<{ doc: SrDocument; measurements: boolean }> {
  const { parsePart10 } = await import('../../dicom/part10');
  const metadata = parsePart10(bytes).metadata;
  return { doc: readSrDocument(metadata), measurements: isMeasurementReport(metadata) };
}

export default function SrView(props: ObjectViewProps) {
  const { t } = useTranslation('documents');
  const session = useImagingSession();
  const { parsed, picker } = useDocument(props, parseSr);
  const [asked, setAsked] = useState(false);
  if (parsed.status === 'loading') return <DocumentLoading />;
  if (parsed.status === 'error') return <DocumentError message={parsed.message} />;
  const { doc, measurements } = parsed.value;
  return (
    <div className="doc-view" data-testid="sr-view">
      {(picker || measurements) && (
        <div className="doc-toolbar">
          {picker}
          {measurements && (
            <>
              <span className="muted">{t('sr.measurementReport')}</span>
              <button
                type="button"
                data-testid="sr-show-measurements"
                disabled={asked}
                onClick={() => {
                  setAsked(true);
                  void openReport(session.measurements, props.displaySet.series.seriesInstanceUID);
                }}
              >
                {t('sr.showMeasurements')}
              </button>
            </>
          )}
        </div>
      )}
      <article className="doc-body">
        <SrHeader doc={doc} fallbackTitle={t('sr.untitled')} />
        <SrTree doc={doc} from={props.index} />
      </article>
    </div>
  );
}
