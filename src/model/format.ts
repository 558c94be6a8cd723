/** Display formatting of DICOM values. Output is plain text; React renders it as text. */

/** DA 'YYYYMMDD' → 'YYYY-MM-DD' (ISO, unambiguous across locales); other input is returned as is. */
export function formatDate(da: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : da.trim();
}

/** TM 'HHMMSS.frac' → 'HH:MM'. */
export function formatTime(tm: string): string {
  const m = /^(\d{2})(\d{2})?/.exec(tm.trim());
  if (!m) return '';
  return `${m[1]}:${m[2] ?? '00'}`;
}

/** One PN component group 'Family^Given^Middle^Prefix^Suffix' → 'Family, Given Middle Suffix'. */
function formatAlphabetic(group: string): string {
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = group.split('^');
  const first = [prefix, given, middle].map((s) => s.trim()).filter(Boolean).join(' ');
  const name = [family.trim(), first].filter(Boolean).join(', ');
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
