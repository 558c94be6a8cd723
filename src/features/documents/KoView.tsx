// A Key Object Selection: its title, the observer's note and the selected images (each a link), and a button that
// shows them together as a key-image stack beside it.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { showKeyImages } from '../../app/documents';
import { keyObjectSelection } from '../../model/srDocument';
import type { ObjectViewProps } from '../objects/objectViewProps';
import { useControllers } from '../viewer/controllers';
import { ImageLink, SrHeader } from './SrContent';
import { parseSr } from './SrView';
import { DocumentError, DocumentLoading, useDocument } from './useDocument';
import './documents.css';

export default function KoView(props: ObjectViewProps) {
  const { t } = useTranslation('documents');
  const controllers = useControllers();
  const { parsed, instance, picker } = useDocument(props, parseSr);
  const [result, setResult] = useState<{ shown: number; missing: number }>();
  if (parsed.status === 'loading') return <DocumentLoading />;
  if (parsed.status === 'error') return <DocumentError message={parsed.message} />;
  const { doc } = parsed.value;
  const selection = keyObjectSelection(doc);
  const title = selection.title?.meaning || t('ko.untitled');
  const show = () =>
    void showKeyImages({ series: props.displaySet.series, sopInstanceUID: instance!.sopInstanceUID, title }, selection.references, props.index, controllers).then(setResult);
  return (
    <div className="doc-view" data-testid="ko-view">
      <div className="doc-toolbar">
        {picker}
        <button type="button" data-testid="ko-show-stack" disabled={selection.references.length === 0} onClick={show}>
          {t('ko.showStack')}
        </button>
        {result && result.shown === 0 && (
          <span className="error-text" role="alert">
            {t('ko.noneOpen')}
          </span>
        )}
        {result && result.shown > 0 && result.missing > 0 && <span className="muted">{t('ko.missing', { count: result.missing })}</span>}
      </div>
      <article className="doc-body">
        <SrHeader doc={{ ...doc, title: selection.title }} fallbackTitle={title} />
        {selection.notes.map((note, i) => (
          <p key={i} className="sr-text" data-testid="ko-note">
            <span className="sr-concept">{t('ko.note')}: </span>
            {note}
          </p>
        ))}
        <h3>{t('ko.images', { count: selection.references.length })}</h3>
        <ol className="ko-images" data-testid="ko-images">
          {selection.references.map((r, i) => (
            <li key={`${r.sopInstanceUID}:${i}`}>
              <ImageLink reference={r} from={props.index} />
            </li>
          ))}
        </ol>
      </article>
    </div>
  );
}
