// Documents for the e2e tests only (never the demo): a hostile PDF (a JavaScript open action and a link over the
// page) and a truncated one, as Encapsulated PDF in a study of their own. scripts/prepare-e2e-data.mjs writes them.
import path from 'node:path';
import { DatasetBuilder, uidFromSeed, writePart10 } from '../part10.ts';
import { encapsulated, LETTER_PAGES, SOP_CLASS } from './documents.ts';
import { simplePdf } from './pdf.ts';

/** Where the hostile PDF's link and script would send the browser (nothing listens there). */
export const HOSTILE_URL = 'http://127.0.0.1:9/hostile-pdf';

const uid = (name: string) => uidFromSeed(`lumen-dicom-viewer/e2e/documents/${name}`);

function header(series: { uid: string; number: number; description: string }): DatasetBuilder {
  return new DatasetBuilder()
    .set('SpecificCharacterSet', 'ISO_IR 100')
    .set('PatientName', 'TEST^DOCUMENTS')
    .set('PatientID', 'TEST-DOCS-1')
    .set('PatientBirthDate', '19700101')
    .set('PatientSex', 'O')
    .set('StudyInstanceUID', uid('study'))
    .set('StudyDate', '20250401')
    .set('StudyTime', '120000')
    .set('StudyID', 'DOCTEST')
    .set('AccessionNumber', 'TESTDOC0001')
    .set('StudyDescription', 'Broken and hostile documents (tests)')
    .set('ReferringPhysicianName', '')
    .set('Modality', 'DOC')
    .set('SeriesInstanceUID', series.uid)
    .set('SeriesNumber', series.number)
    .set('SeriesDescription', series.description)
    .set('Manufacturer', 'Lumen synthetic');
}

export interface DocumentTestFile {
  label: 'pdf-hostile' | 'pdf-truncated';
  path: string;
}

/** Writes the two test documents into `dir`. */
export function writeDocumentTestObjects(dir: string): DocumentTestFile[] {
  const letter = simplePdf(LETTER_PAGES);
  const hostile = simplePdf(LETTER_PAGES, {
    openActionJavaScript: `app.alert('hostile'); this.getURL('${HOSTILE_URL}'); app.launchURL('${HOSTILE_URL}', true);`,
    link: { uri: HOSTILE_URL, rect: [0, 0, 612, 792] },
  });
  const files: { label: DocumentTestFile['label']; number: number; description: string; bytes: Uint8Array }[] = [
    { label: 'pdf-hostile', number: 1, description: 'PDF with a JavaScript open action and a page-wide link', bytes: hostile },
    // Half a PDF: no cross-reference table, no trailer, the second page missing.
    { label: 'pdf-truncated', number: 2, description: 'Truncated PDF (first half of the file)', bytes: letter.subarray(0, Math.floor(letter.length / 2)) },
  ];
  return files.map((f) => {
    const series = { uid: uid(`${f.label}/series`), number: f.number, description: f.description };
    const b = encapsulated(header(series), {
      sopClassUID: SOP_CLASS.encapsulatedPdf,
      sopInstanceUID: uid(`${f.label}/instance`),
      instanceNumber: 1,
      title: f.description,
      mimeType: 'application/pdf',
      bytes: f.bytes,
    });
    const file = path.join(dir, `${f.label}.dcm`);
    writePart10(b.dataset, file);
    return { label: f.label, path: file };
  });
}
