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

/** PN 'Family^Given^Middle^Prefix^Suffix' → 'Family, Given Middle'. */
export function formatPersonName(pn: string): string {
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = pn.split('=')[0]!.split('^');
  const first = [prefix, given, middle].filter(Boolean).join(' ');
  const name = [family.trim(), first.trim()].filter(Boolean).join(', ');
  return [name, suffix.trim()].filter(Boolean).join(' ');
}

/** 'YYYY-MM-DD' (from a date input) → DA 'YYYYMMDD'. */
export function toDicomDate(isoDate: string): string {
  return isoDate.replace(/-/g, '');
}
