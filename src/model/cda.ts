// An HL7 CDA document (as DICOM Encapsulated CDA carries it) read into plain data for display as text: its title,
// date, authors, and the sections of a structured body with their narrative blocks (paragraphs, lists, tables),
// or the content of a non-XML body (a PDF, plain text). Works on the DOM that DOMParser gives (any object of the same
// shape): nothing is fetched and no markup is ever passed on, only text.

/** The part of a DOM node this reader uses (DOMParser's nodes have it; tests build their own). */
export interface XmlNode {
  nodeType: number;
  localName?: string | null;
  textContent: string | null;
  childNodes: ArrayLike<XmlNode>;
  getAttribute?: (name: string) => string | null;
}

const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;

export type CdaBlock =
  | { type: 'paragraph'; text: string }
  | { type: 'list'; ordered: boolean; items: CdaBlock[][] }
  | { type: 'table'; caption: string; head: string[][]; body: string[][] };

export interface CdaSection {
  title: string;
  blocks: CdaBlock[];
  sections: CdaSection[];
}

export interface CdaDocument {
  title: string;
  /** HL7 TS, e.g. "20250314093012+0100". */
  effectiveTime: string;
  authors: string[];
  sections: CdaSection[];
  /** A non-XML body: its media type, and the bytes (base64) or the text. */
  nonXmlBody?: { mediaType: string; bytes?: Uint8Array; text?: string };
}

/** Deeper than any real document nests sections or lists. */
const MAX_DEPTH = 32;

const children = (n: XmlNode): XmlNode[] => Array.from(n.childNodes);
const elements = (n: XmlNode, name?: string): XmlNode[] =>
  children(n).filter((c) => c.nodeType === ELEMENT && (name === undefined || c.localName === name));
const child = (n: XmlNode | undefined, name: string): XmlNode | undefined => (n ? elements(n, name)[0] : undefined);
const attr = (n: XmlNode | undefined, name: string): string => n?.getAttribute?.(name) ?? '';
const squash = (s: string) => s.replace(/[ \t\r\n]+/g, ' ');
/** The text of an optional element ('' when absent). */
const textOf = (n: XmlNode | undefined): string => (n ? tidy(inlineText(n)) : '');

/** Inline narrative as text: runs of white space as one space, <br/> as a line break. */
function inlineText(n: XmlNode, depth = 0): string {
  if (n.nodeType === TEXT || n.nodeType === CDATA) return squash(n.textContent ?? '');
  if (n.nodeType !== ELEMENT || depth > MAX_DEPTH) return '';
  if (n.localName === 'br') return '\n';
  // Footnote references and multimedia placeholders name nothing a reader can see here.
  if (n.localName === 'renderMultiMedia' || n.localName === 'footnoteRef') return '';
  return children(n).map((c) => inlineText(c, depth + 1)).join('');
}

const tidy = (s: string) =>
  s
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .trim();

const BLOCKS = new Set(['paragraph', 'list', 'table']);

/** The blocks of a narrative element (section <text>, a list item, a table cell's container): loose text as paragraphs. */
function blocksOf(n: XmlNode, depth: number): CdaBlock[] {
  const out: CdaBlock[] = [];
  let loose = '';
  const flush = () => {
    const text = tidy(loose);
    if (text) out.push({ type: 'paragraph', text });
    loose = '';
  };
  for (const c of children(n)) {
    if (c.nodeType === ELEMENT && BLOCKS.has(c.localName ?? '')) {
      flush();
      const block = depth < MAX_DEPTH ? blockOf(c, depth + 1) : undefined;
      if (block) out.push(block);
    } else loose += inlineText(c, depth);
  }
  flush();
  return out;
}

function rowsOf(n: XmlNode | undefined): string[][] {
  if (!n) return [];
  return elements(n, 'tr').map((tr) => children(tr).filter((c) => c.nodeType === ELEMENT && (c.localName === 'td' || c.localName === 'th')).map((cell) => tidy(inlineText(cell))));
}

function blockOf(n: XmlNode, depth: number): CdaBlock | undefined {
  switch (n.localName) {
    case 'paragraph': {
      const text = tidy(inlineText(n, depth));
      return text ? { type: 'paragraph', text } : undefined;
    }
    case 'list':
      return { type: 'list', ordered: attr(n, 'listType') === 'ordered', items: elements(n, 'item').map((item) => blocksOf(item, depth)) };
    case 'table': {
      const head = rowsOf(child(n, 'thead'));
      // Rows straight under <table> are allowed too; <tbody> may repeat.
      const body = [...elements(n, 'tbody').flatMap((b) => rowsOf(b)), ...rowsOf(n)];
      return { type: 'table', caption: textOf(child(n, 'caption')), head, body };
    }
    default:
      return undefined;
  }
}

function sectionOf(n: XmlNode, depth: number): CdaSection {
  const text = child(n, 'text');
  return {
    title: textOf(child(n, 'title')),
    blocks: text ? blocksOf(text, depth) : [],
    sections: depth < MAX_DEPTH ? elements(n, 'component').flatMap((c) => elements(c, 'section')).map((s) => sectionOf(s, depth + 1)) : [],
  };
}

function personName(n: XmlNode | undefined): string {
  if (!n) return '';
  const parts = elements(n);
  if (parts.length === 0) return tidy(inlineText(n));
  const of = (name: string) => parts.filter((p) => p.localName === name).map((p) => tidy(inlineText(p))).filter(Boolean);
  return [...of('prefix'), ...of('given'), ...of('family'), ...of('suffix')].join(' ');
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text.replace(/\s+/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Reads a parsed CDA document (DOMParser's Document, or its root element). Throws when it is not one. */
export function readCda(doc: XmlNode): CdaDocument {
  const root = doc.localName === 'ClinicalDocument' ? doc : elements(doc).find((e) => e.localName === 'ClinicalDocument');
  if (!root) {
    const error = elements(doc).find((e) => e.localName === 'parsererror');
    throw new Error(error ? `the XML cannot be read: ${textOf(error).slice(0, 200)}` : 'not an HL7 CDA document (no ClinicalDocument)');
  }
  const authors = elements(root, 'author')
    .map((a) => child(a, 'assignedAuthor'))
    .map((a) => personName(child(child(a, 'assignedPerson'), 'name')) || textOf(child(child(a, 'assignedAuthoringDevice'), 'softwareName')))
    .filter(Boolean);
  const body = child(child(root, 'component'), 'structuredBody');
  const nonXml = child(child(root, 'component'), 'nonXMLBody');
  const out: CdaDocument = {
    title: textOf(child(root, 'title')),
    effectiveTime: attr(child(root, 'effectiveTime'), 'value'),
    authors,
    sections: body ? elements(body, 'component').flatMap((c) => elements(c, 'section')).map((s) => sectionOf(s, 0)) : [],
  };
  const text = child(nonXml, 'text');
  if (text) {
    const mediaType = attr(text, 'mediaType') || 'text/plain';
    const content = text.textContent ?? '';
    if (attr(text, 'representation') === 'B64') {
      try {
        out.nonXmlBody = { mediaType, bytes: decodeBase64(content) };
      } catch {
        throw new Error('the document body is not valid base64');
      }
    } else out.nonXmlBody = { mediaType, text: content };
  }
  return out;
}

/** HL7 TS "YYYYMMDDHHMM[SS][+ZZZZ]" → "YYYY-MM-DD HH:MM" (other text as is). */
export function formatCdaTime(ts: string): string {
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?/.exec(ts);
  if (!m) return ts;
  const date = [m[1], m[2], m[3]].filter(Boolean).join('-');
  return m[4] ? `${date} ${m[4]}:${m[5] ?? '00'}` : date;
}
