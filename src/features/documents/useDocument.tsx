import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstanceMeta } from '../../model/types';
import type { ObjectViewProps } from '../objects/objectViewProps';
import { useObjectFile } from '../objects/useObjectFile';

export type Parsed<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; message: string };

/**
 * The series' chosen object (the first; a picker when the series holds several), fetched and read by `parse`
 * (which imports what it needs: dcmjs and pdf.js come with the viewer that is opened, never before). `parse` is a
 * module-level function (a new one each render would read the file again).
 */
export function useDocument<T>(
  { displaySet, dataSource }: ObjectViewProps,
  parse: (bytes: Uint8Array, instance: InstanceMeta) => Promise<T>,
): { parsed: Parsed<T>; instance?: InstanceMeta; picker: ReactNode } {
  const { t } = useTranslation('documents');
  const [pick, setPick] = useState(0);
  const objects = displaySet.objects;
  const instance = objects[Math.min(pick, objects.length - 1)];
  const file = useObjectFile(dataSource, displaySet.series.studyInstanceUID, displaySet.series.seriesInstanceUID, instance);
  const [parsed, setParsed] = useState<Parsed<T>>({ status: 'loading' });
  useEffect(() => {
    if (file.status === 'loading') return setParsed({ status: 'loading' });
    if (file.status === 'error') return setParsed({ status: 'error', message: t('fetchFailed', { reason: file.error }) });
    let current = true;
    setParsed({ status: 'loading' });
    parse(file.bytes, instance!).then(
      (value) => current && setParsed({ status: 'ready', value }),
      (e: unknown) => current && setParsed({ status: 'error', message: t('readFailed', { reason: e instanceof Error ? e.message : String(e) }) }),
    );
    return () => {
      current = false;
    };
  }, [file, instance, parse, t]);
  const picker =
    objects.length > 1 ? (
      <select className="doc-picker" aria-label={t('pickerLabel')} value={pick} onChange={(e) => setPick(Number(e.target.value))} data-testid="document-picker">
        {objects.map((o, i) => (
          <option key={o.sopInstanceUID} value={i}>
            {t('picker', { n: i + 1, count: objects.length })}
          </option>
        ))}
      </select>
    ) : null;
  return { parsed, instance, picker };
}

/** A document that could not be fetched or read: said in its own viewport, the others keep working. */
export function DocumentError({ message }: { message: string }) {
  return (
    <div className="viewport-message error" role="alert" data-testid="document-error">
      {message}
    </div>
  );
}

export function DocumentLoading() {
  const { t } = useTranslation('documents');
  return <div className="viewport-message">{t('loading')}</div>;
}
