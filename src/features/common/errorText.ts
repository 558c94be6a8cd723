import type { TFunction } from 'i18next';

/**
 * Error messages in the reader's language. The lower layers (dicomweb/, store/, app/) word their errors in English,
 * which is also what logs and support see; the messages readers meet most are mapped here, by their form, to the
 * `errors` keys of the common namespace, keeping their variable parts (URLs, HTTP statuses, the server's own
 * reason, which no translation can know). A message not recognised is shown as it is. errorText.test.ts builds the
 * messages with the code that makes them, so a change of wording there fails it rather than falling back quietly.
 */

/** DicomWebError's operations (dicomweb/client.ts), by the words the client uses. */
const OPERATIONS: Record<string, string> = {
  'Study search (QIDO-RS)': 'studySearch',
  'Series search (QIDO-RS)': 'seriesSearch',
  'Instance search (QIDO-RS)': 'instanceSearch',
  'Series metadata (WADO-RS)': 'metadata',
  'Frame retrieval (WADO-RS)': 'frame',
  'Instance retrieval (WADO-RS)': 'instance',
  'Bulk data (WADO-RS)': 'bulkData',
  'Store (STOW-RS)': 'store',
};

// DicomWebError.describe: "<operation> failed: could not reach <url>[ (<why>)][ — <reason>]" or
// "<operation> failed: <url> answered <status>[ <statusText>][ — <reason>]".
const DICOMWEB = /^(.+?) failed: (?:could not reach (\S+)(?: \((.*?)\))?|(\S+) answered (\d+)(?: (.*?))?)(?: — (.*))?$/s;

type Rule = [RegExp, (t: TFunction, m: RegExpExecArray) => string];

const RULES: Rule[] = [
  [/^Saving the measurements failed: (.*)$/s, (t, m) => t('errors.saveFailed', { error: errorText(m[1]!, t) })],
  [/^This report could not be opened: (.*)$/s, (t, m) => t('errors.reportFailed', { error: errorText(m[1]!, t) })],
  [/^The PACS did not store the report \((\d+)\): (.*)$/s, (t, m) => t('errors.notStored', { status: m[1], reason: m[2] })],
  [/^the series holds no report$/, (t) => t('errors.noReport')],
  [/^The gateway does not allow this export: (.*)$/s, (t, m) => t('errors.exportRefused', { error: errorText(m[1]!, t) })],
  [/^These were files opened from this computer: /, (t) => t('errors.localForgotten')],
  [/^Unknown data source "(.*)"$/, (t, m) => t('errors.unknownSource', { source: m[1] })],
  [/^Study (\S+) was not found on data source "(.*)"$/, (t, m) => t('errors.studyNotFound', { uid: m[1], source: m[2] })],
  [/^"(.*)" is not a DICOM UID: no request is made with it$/, (t, m) => t('errors.notUid', { uid: m[1] })],
];

/** `message` in the language of `t` (the common namespace's), or as it is when its form is not known. */
export function errorText(message: string, t: TFunction): string {
  const d = DICOMWEB.exec(message);
  const op = d && OPERATIONS[d[1]!];
  if (d && op) {
    const operation = t(`errors.op.${op}`);
    const what = d[2] !== undefined ? t('errors.unreachable', { url: d[2] }) + (d[3] ? ` (${d[3]})` : '') : t('errors.answered', { url: d[4], status: d[5] }) + (d[6] ? ` ${d[6]}` : '');
    return t('errors.failed', { operation, what }) + (d[7] ? ` — ${d[7]}` : '');
  }
  for (const [re, say] of RULES) {
    const m = re.exec(message);
    if (m) return say(t, m);
  }
  return message;
}
