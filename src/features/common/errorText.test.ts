import { readFileSync } from 'node:fs';
import path from 'node:path';
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { DicomWebError } from '../../dicomweb/errors';
import { errorText } from './errorText';

const locale = (lng: string) => JSON.parse(readFileSync(path.join(import.meta.dirname, '../../i18n/locales', lng, 'common.json'), 'utf8')) as Record<string, unknown>;

describe('errorText', () => {
  const i18n = i18next.createInstance();
  beforeAll(() =>
    i18n.init({ lng: 'en', fallbackLng: 'en', defaultNS: 'common', resources: { en: { common: locale('en') }, fr: { common: locale('fr') }, ar: { common: locale('ar') } }, interpolation: { escapeValue: false } }),
  );

  it('says the messages of the lower layers again, in English exactly as they were made', () => {
    const t = i18n.getFixedT('en');
    for (const e of [
      new DicomWebError('Study search (QIDO-RS)', 'http://pacs/dicom-web/studies', 0, 'Failed to fetch'),
      new DicomWebError('Series metadata (WADO-RS)', 'http://pacs/dicom-web/studies/1/series/2/metadata', 503, 'Service Unavailable', 'busy'),
      new DicomWebError('Store (STOW-RS)', 'http://pacs/dicom-web/studies', 409, ''),
    ]) {
      expect(errorText(e.message, t)).toBe(e.message);
    }
    expect(errorText('Saving the measurements failed: Store (STOW-RS) failed: http://x/studies answered 500', t)).toBe(
      'Saving the measurements failed: Store (STOW-RS) failed: http://x/studies answered 500',
    );
  });

  it('translates them, keeping URLs, statuses and the server’s own words', () => {
    const fr = i18n.getFixedT('fr');
    const e = new DicomWebError('Study search (QIDO-RS)', 'http://pacs/dicom-web/studies', 503, 'Service Unavailable', 'busy');
    const text = errorText(e.message, fr);
    expect(text).not.toBe(e.message);
    expect(text).toContain('http://pacs/dicom-web/studies');
    expect(text).toContain('503 Service Unavailable');
    expect(text).toMatch(/— busy$/);
    const ar = i18n.getFixedT('ar');
    expect(errorText('Unknown data source "x"', ar)).toMatch(/[\u0600-\u06FF]/);
    expect(errorText('Saving the measurements failed: Study search (QIDO-RS) failed: could not reach http://p', ar)).not.toMatch(/failed|could not/);
  });

  it('leaves a message it does not know as it is', () => {
    expect(errorText('something else', i18n.getFixedT('fr'))).toBe('something else');
  });
});
