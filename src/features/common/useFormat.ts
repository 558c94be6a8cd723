import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { isLanguage, localeOf, type Language } from '../../i18n/languages';
import { formatDate, formatTime, localDigits } from '../../model/format';
import { useConfigStore } from '../../store/config';

export interface Format {
  language: Language;
  /** The BCP 47 locale Intl formats with (Gregorian, the site's digits). */
  locale: string;
  /** A DICOM DA in the reader's language (English keeps ISO 8601, unambiguous to US and UK readers alike). */
  date: (da: string) => string;
  /** A DICOM TM as HH:MM, in the site's digits. */
  time: (tm: string) => string;
  /** A number with at most `digits` decimals (the language's decimal mark and digits, no grouping). */
  number: (n: number, digits?: number) => string;
  /** A number with exactly `digits` decimals (measurement values: 12.0 mm, not 12 mm). */
  fixed: (n: number, digits: number) => string;
  /** Digits in a text (image numbers, W/L values) in the site's digit shapes. */
  digits: (text: string) => string;
  /** A unit as the language writes it ("mm" → "مم"); unknown units as they are. */
  unit: (unit: string) => string;
}

/** Dates, numbers and units for the language on screen (re-renders when it changes). */
export function useFormat(): Format {
  const { t, i18n } = useTranslation('common');
  const numerals = useConfigStore((s) => s.config?.numerals ?? 'latn');
  const language: Language = isLanguage(i18n.language) ? i18n.language : 'en';
  return useMemo(() => {
    const locale = localeOf(language, numerals);
    const dateLocale = language === 'en' ? undefined : locale;
    const numbers = new Map<string, Intl.NumberFormat>();
    const formatter = (digits: number, fixed: boolean) => {
      const key = `${digits}${fixed}`;
      let f = numbers.get(key);
      // No grouping: values (HU, mm, counts) read as the image and its tags have them, 1024 and not 1,024.
      if (!f) numbers.set(key, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: fixed ? digits : 0, useGrouping: false })));
      return f;
    };
    return {
      language,
      locale,
      date: (da) => formatDate(da, dateLocale),
      time: (tm) => formatTime(tm, locale),
      number: (n, digits = 1) => formatter(digits, false).format(n),
      fixed: (n, digits) => formatter(digits, true).format(n),
      digits: (text) => (numerals === 'latn' ? text : localDigits(text, locale)),
      unit: (unit) => (unit ? t(`unit.${unit}`, { defaultValue: unit }) : ''),
    };
  }, [language, numerals, t]);
}
