/** Display formatting of DICOM values. Output is plain text; React renders it as text. */

/**
 * DA 'YYYYMMDD' → without `locale`, 'YYYY-MM-DD' (ISO, unambiguous across locales); with one (a BCP 47 tag,
 * src/i18n/languages.ts `localeOf`), that locale's short date with the month's name ("8 déc. 2026", "8 ديسمبر
 * 2026"), never a numeric day/month order a reader could take the wrong way round. Other input is returned as is.
 */
export function formatDate(da: string, locale?: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da.trim());
  if (!m) return da.trim();
  if (!locale) return `${m[1]}-${m[2]}-${m[3]}`;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  // A day that does not exist (20230231) is shown as written rather than rolled over into the next month.
  if (date.getUTCMonth() !== Number(m[2]) - 1) return `${m[1]}-${m[2]}-${m[3]}`;
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(date);
}

/** TM 'HHMMSS.frac' → 'HH:MM' (24-hour), in `locale`'s digits when given. */
export function formatTime(tm: string, locale?: string): string {
  const m = /^(\d{2})(\d{2})?/.exec(tm.trim());
  if (!m) return '';
  const text = `${m[1]}:${m[2] ?? '00'}`;
  return locale ? localDigits(text, locale) : text;
}

/** Western digits in `text` written in `locale`'s digit shapes (Arabic-Indic for `…-nu-arab`). */
export function localDigits(text: string, locale: string): string {
  const shape = new Intl.NumberFormat(locale, { useGrouping: false });
  return text.replace(/\d/g, (d) => shape.format(Number(d)));
}

/** One PN component group 'Family^Given^Middle^Prefix^Suffix' → 'Family, Given Middle Suffix'. */
function formatAlphabetic(group: string): string {
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = group.split('^');
  const first = [prefix, given, middle].map((s) => s.trim()).filter(Boolean).join(' ');
  // Arabic script takes its own comma (،): a Latin one reads as a stray mark between Arabic words.
  const comma = /[\u0600-\u06FF]/.test(family) ? '، ' : ', ';
  const name = [family.trim(), first].filter(Boolean).join(comma);
  return [name, suffix.trim()].filter(Boolean).join(' ');
}

/**
 * PN → display text. The alphabetic group reads 'Family, Given Middle'; ideographic and phonetic groups (written
 * family name first, without a comma, as in Japan, China and Korea) follow in parentheses, or stand alone when
 * there is no alphabetic form. 'Yamada^Tarou=山田^太郎=やまだ^たろう' → 'Yamada, Tarou (山田 太郎, やまだ たろう)'.
 */
export function formatPersonName(pn: string): string {
  const [alphabetic = '', ...others] = pn.split('=');
  const latin = formatAlphabetic(alphabetic);
  const native = others.map((g) => g.split('^').map((s) => s.trim()).filter(Boolean).join(' ')).filter(Boolean);
  if (!latin) return native.join(', ');
  return native.length ? `${latin} (${native.join(', ')})` : latin;
}

/** 'YYYY-MM-DD' (from a date input) → DA 'YYYYMMDD'. */
export function toDicomDate(isoDate: string): string {
  return isoDate.replace(/-/g, '');
}
