// A small valid PDF 1.4 written by hand (Helvetica text lines on US Letter pages, the cross-reference table's
// offsets computed), so that the demo and the tests have a PDF whose text and positions are known. Options add what
// a hostile PDF carries: a JavaScript open action and a link annotation.

export interface PdfLine {
  text: string;
  /** Baseline start in PDF points from the page's bottom-left corner. */
  x: number;
  y: number;
  size: number;
}

export interface PdfOptions {
  /** JavaScript run when the document opens (by readers that run scripts). */
  openActionJavaScript?: string;
  /** A link annotation on page 1 to this URI, over this rectangle (x1 y1 x2 y2, points). */
  link?: { uri: string; rect: [number, number, number, number] };
}

export const PAGE_WIDTH = 612;
export const PAGE_HEIGHT = 792;

/** A PDF string literal: backslash, parentheses escaped; ASCII only. */
function literal(text: string): string {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new Error(`PDF text must be printable ASCII: ${text}`);
  return `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

/** The bytes of a PDF with one page per entry of `pages` (each a list of text lines). */
export function simplePdf(pages: PdfLine[][], options: PdfOptions = {}): Uint8Array {
  const objects: string[] = [];
  // Object number = index + 1.
  const add = (body: string) => objects.push(body);
  const catalog = add(''); // filled below
  const pagesObj = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const pageNumbers: number[] = [];
  pages.forEach((lines, i) => {
    const content = lines.map((l) => `BT /F1 ${l.size} Tf ${l.x} ${l.y} Td ${literal(l.text)} Tj ET`).join('\n');
    const stream = add(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
    let annots = '';
    if (i === 0 && options.link) {
      const a = add(`<< /Type /Annot /Subtype /Link /Rect [${options.link.rect.join(' ')}] /Border [0 0 0] /A << /S /URI /URI ${literal(options.link.uri)} >> >>`);
      annots = ` /Annots [${a} 0 R]`;
    }
    pageNumbers.push(
      add(`<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${stream} 0 R${annots} >>`),
    );
  });
  let openAction = '';
  if (options.openActionJavaScript !== undefined) {
    const js = add(`<< /Type /Action /S /JavaScript /JS ${literal(options.openActionJavaScript)} >>`);
    openAction = ` /OpenAction ${js} 0 R`;
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R${openAction} >>`;
  objects[pagesObj - 1] = `<< /Type /Pages /Kids [${pageNumbers.map((n) => `${n} 0 R`).join(' ')}] /Count ${pageNumbers.length} >>`;

  // ASCII throughout, so string length = byte offset.
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}
