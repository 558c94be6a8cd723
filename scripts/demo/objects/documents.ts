// The demo's reports and documents: a Comprehensive SR and a Key Object Selection on the demo CT (in its study,
// referring to its slices), and a referral letter as Encapsulated PDF and a discharge summary as Encapsulated CDA
// (plain and with a PDF body) in a documents study of their own. Deterministic like the rest of the demo.
import path from 'node:path';
import { DatasetBuilder, writePart10, type Dataset } from '../part10.ts';
import type { DemoFile, Study } from '../demoDicom.ts';
import { PAGE_HEIGHT, simplePdf, type PdfLine } from './pdf.ts';

export interface DocumentsContext {
  /** The demo's deterministic UID for a name. */
  uid: (name: string) => string;
  /** Patient, study and series attributes of a demo instance. */
  header: (study: Study, series: { uid: string; number: number; description: string; modality: string }) => DatasetBuilder;
  /** The CT's study and its slices (InstanceNumber order). */
  ctStudy: Study;
  ct: DemoFile[];
}

export const SOP_CLASS = {
  comprehensiveSr: '1.2.840.10008.5.1.4.1.1.88.33',
  keyObjectSelection: '1.2.840.10008.5.1.4.1.1.88.59',
  encapsulatedPdf: '1.2.840.10008.5.1.4.1.1.104.1',
  encapsulatedCda: '1.2.840.10008.5.1.4.1.1.104.2',
} as const;

/** The folder under the demo output that this module writes (and empties first). */
export const DOCUMENTS_FOLDER = 'documents';

const item = (build: (b: DatasetBuilder) => DatasetBuilder): Dataset => build(new DatasetBuilder()).dataset;
const code = (value: string, scheme: string, meaning: string) =>
  item((b) => b.set('CodeValue', value).set('CodingSchemeDesignator', scheme).set('CodeMeaning', meaning));

/** A content item: relationship, value type, concept name, then whatever its value type needs. */
function content(relationship: string, valueType: string, concept: Dataset | undefined, more: (b: DatasetBuilder) => DatasetBuilder = (b) => b, children: Dataset[] = []): Dataset {
  return item((b) => {
    b.set('RelationshipType', relationship).set('ValueType', valueType);
    if (concept) b.set('ConceptNameCodeSequence', [concept]);
    more(b);
    if (children.length) b.set('ContentSequence', children);
    return b;
  });
}

const imageRef = (slice: DemoFile) =>
  item((b) => b.set('ReferencedSOPClassUID', slice.sopClassUID).set('ReferencedSOPInstanceUID', slice.sopInstanceUID));

/** The evidence: the CT study, series and the slices referred to. */
function evidence(study: Study, slices: DemoFile[]): Dataset[] {
  return [
    item((b) =>
      b.set('StudyInstanceUID', study.uid).set('ReferencedSeriesSequence', [
        item((s) => s.set('SeriesInstanceUID', slices[0]!.seriesInstanceUID).set('ReferencedSOPSequence', slices.map(imageRef))),
      ]),
    ),
  ];
}

/** The demo SR's facts, which the e2e tests read back on screen. */
export const SR_FACTS = {
  title: 'Imaging report (synthetic)',
  noduleLength: 12.5,
  meanHu: 42,
  impression: 'Stable 12.5 mm nodule in the right lower lobe; no new finding.',
} as const;

/** The KOS's facts. */
export const KO_FACTS = { title: 'Of Interest', note: 'Nodule: above, at and below its centre' } as const;

/** The slice the SR's image reference names (the middle one), and the three the KOS selects, as CT indices. */
export const srSliceIndex = (slices: number) => Math.floor(slices / 2);
export const koSliceIndices = (slices: number) => [Math.max(0, srSliceIndex(slices) - 10), srSliceIndex(slices), Math.min(slices - 1, srSliceIndex(slices) + 19)];

function writeSr(outDir: string, ctx: DocumentsContext): DemoFile {
  const study = ctx.ctStudy;
  const series = { uid: ctx.uid('ct/sr/series'), number: 900, description: 'Radiology report (synthetic Comprehensive SR)', modality: 'SR' };
  const sop = ctx.uid('ct/sr/instance/1');
  const slice = ctx.ct[srSliceIndex(ctx.ct.length)]!;
  const image = () => (b: DatasetBuilder) => b.set('ReferencedSOPSequence', [imageRef(slice)]);
  const b = ctx
    .header(study, series)
    .set('SOPClassUID', SOP_CLASS.comprehensiveSr)
    .set('SOPInstanceUID', sop)
    .set('InstanceNumber', 1)
    .set('CompletionFlag', 'COMPLETE')
    .set('VerificationFlag', 'VERIFIED')
    .set('VerifyingObserverSequence', [
      item((v) =>
        v
          .set('VerifyingObserverName', 'DEMO^RADIOLOGIST')
          .set('VerifyingObserverIdentificationCodeSequence', [])
          .set('VerifyingOrganization', 'Lumen Demo Hospital')
          .set('VerificationDateTime', `${study.date}110000`),
      ),
    ])
    .set('PerformedProcedureCodeSequence', [])
    .set('CurrentRequestedProcedureEvidenceSequence', evidence(study, [slice]))
    .set('ContentTemplateSequence', [item((t) => t.set('MappingResource', 'DCMR').set('TemplateIdentifier', '2000'))])
    .set('ValueType', 'CONTAINER')
    .set('ConceptNameCodeSequence', [code('18748-4', 'LN', SR_FACTS.title)])
    .set('ContinuityOfContent', 'SEPARATE')
    .set('ContentSequence', [
      content('HAS OBS CONTEXT', 'PNAME', code('121008', 'DCM', 'Person Observer Name'), (c) => c.set('PersonName', 'DEMO^RADIOLOGIST')),
      content('CONTAINS', 'CONTAINER', code('121060', 'DCM', 'History'), (c) => c.set('ContinuityOfContent', 'SEPARATE'), [
        content('CONTAINS', 'TEXT', code('121060', 'DCM', 'History'), (c) => c.set('TextValue', 'Follow-up of a pulmonary nodule.')),
      ]),
      content('CONTAINS', 'CONTAINER', code('121070', 'DCM', 'Findings'), (c) => c.set('ContinuityOfContent', 'SEPARATE'), [
        content('CONTAINS', 'CODE', code('121071', 'DCM', 'Finding'), (c) => c.set('ConceptCodeSequence', [code('27925004', 'SCT', 'Nodule')]), [
          content('HAS PROPERTIES', 'CODE', code('363698007', 'SCT', 'Finding site'), (c) => c.set('ConceptCodeSequence', [code('266005', 'SCT', 'Right lower lobe of lung')])),
        ]),
        content('CONTAINS', 'NUM', code('410668003', 'SCT', 'Length'), (c) =>
          c.set('MeasuredValueSequence', [item((m) => m.set('NumericValue', SR_FACTS.noduleLength).set('MeasurementUnitsCodeSequence', [code('mm', 'UCUM', 'millimeter')]))]),
        ),
        content('CONTAINS', 'NUM', code('112031', 'DCM', 'Attenuation Coefficient'), (c) =>
          c.set('MeasuredValueSequence', [item((m) => m.set('NumericValue', SR_FACTS.meanHu).set('MeasurementUnitsCodeSequence', [code("[hnsf'U]", 'UCUM', 'Hounsfield unit')]))]),
        ),
        content('CONTAINS', 'IMAGE', code('121080', 'DCM', 'Best illustration of finding'), image()),
        content('CONTAINS', 'SCOORD', code('111030', 'DCM', 'Image Region'), (c) => c.set('GraphicType', 'POINT').set('GraphicData', [256, 256]), [
          content('SELECTED FROM', 'IMAGE', undefined, image()),
        ]),
        content('CONTAINS', 'DATE', code('122712', 'DCM', 'Comparison study date'), (c) => c.set('Date', '20240301')),
      ]),
      content('CONTAINS', 'CONTAINER', code('121072', 'DCM', 'Impressions'), (c) => c.set('ContinuityOfContent', 'SEPARATE'), [
        content('CONTAINS', 'TEXT', code('121073', 'DCM', 'Impression'), (c) => c.set('TextValue', SR_FACTS.impression)),
      ]),
    ]);
  const file = path.join(outDir, DOCUMENTS_FOLDER, 'SR0001.dcm');
  writePart10(b.dataset, file);
  return { path: file, kind: 'sr', studyInstanceUID: study.uid, seriesInstanceUID: series.uid, sopInstanceUID: sop, sopClassUID: SOP_CLASS.comprehensiveSr, instanceNumber: 1, frames: 0, description: series.description };
}

function writeKo(outDir: string, ctx: DocumentsContext): DemoFile {
  const study = ctx.ctStudy;
  const series = { uid: ctx.uid('ct/ko/series'), number: 901, description: 'Key images (synthetic KOS)', modality: 'KO' };
  const sop = ctx.uid('ct/ko/instance/1');
  const slices = koSliceIndices(ctx.ct.length).map((i) => ctx.ct[i]!);
  const b = ctx
    .header(study, series)
    .set('SOPClassUID', SOP_CLASS.keyObjectSelection)
    .set('SOPInstanceUID', sop)
    .set('InstanceNumber', 1)
    .set('ReferencedPerformedProcedureStepSequence', [])
    .set('CurrentRequestedProcedureEvidenceSequence', evidence(study, slices))
    .set('ContentTemplateSequence', [item((t) => t.set('MappingResource', 'DCMR').set('TemplateIdentifier', '2010'))])
    .set('ValueType', 'CONTAINER')
    .set('ConceptNameCodeSequence', [code('113000', 'DCM', KO_FACTS.title)])
    .set('ContinuityOfContent', 'SEPARATE')
    .set('ContentSequence', [
      content('CONTAINS', 'TEXT', code('113012', 'DCM', 'Key Object Description'), (c) => c.set('TextValue', KO_FACTS.note)),
      ...slices.map((s) => content('CONTAINS', 'IMAGE', undefined, (c) => c.set('ReferencedSOPSequence', [imageRef(s)]))),
    ]);
  const file = path.join(outDir, DOCUMENTS_FOLDER, 'KO0001.dcm');
  writePart10(b.dataset, file);
  return { path: file, kind: 'ko', studyInstanceUID: study.uid, seriesInstanceUID: series.uid, sopInstanceUID: sop, sopClassUID: SOP_CLASS.keyObjectSelection, instanceNumber: 1, frames: 0, description: series.description };
}

/** The letter's two pages: a large title line high on page 1 (where the tests look for ink), a line on page 2. */
export const LETTER_PAGES: PdfLine[][] = [
  [
    { text: 'Referral letter', x: 72, y: PAGE_HEIGHT - 120, size: 40 },
    { text: 'Synthetic document for the Lumen demo.', x: 72, y: PAGE_HEIGHT - 170, size: 14 },
  ],
  [{ text: 'Page two: no further findings.', x: 72, y: PAGE_HEIGHT - 120, size: 24 }],
];

/** The documents study: a patient of its own, so that the CT patient's studies stay as they were. */
export function documentsStudy(ctx: Pick<DocumentsContext, 'uid'>): Study {
  return {
    patient: { name: 'DEMO^DOCUMENTS', id: 'DEMO-0006', birthDate: '19650505', sex: 'F', age: '059Y' },
    uid: ctx.uid('documents/study'),
    date: '20250320',
    time: '081500',
    accession: 'DEMODOC0001',
    id: 'DOC1',
    description: 'REFERRAL AND DISCHARGE DOCUMENTS',
    referrer: 'DEMO^REFERRER^A',
  };
}

/** An Encapsulated PDF or CDA instance. */
export function encapsulated(
  header: DatasetBuilder,
  o: { sopClassUID: string; sopInstanceUID: string; instanceNumber: number; title: string; mimeType: string; bytes: Uint8Array },
): DatasetBuilder {
  // OB values are even in length: a PDF of odd length gets a padding byte, and its true length beside it.
  const padded = new Uint8Array(o.bytes.length + (o.bytes.length % 2));
  padded.set(o.bytes);
  return header
    .set('SOPClassUID', o.sopClassUID)
    .set('SOPInstanceUID', o.sopInstanceUID)
    .set('InstanceNumber', o.instanceNumber)
    .set('ConversionType', 'WSD')
    .set('BurnedInAnnotation', 'YES')
    .set('DocumentTitle', o.title)
    .set('ConceptNameCodeSequence', [])
    .set('MIMETypeOfEncapsulatedDocument', o.mimeType)
    .set('EncapsulatedDocumentLength', o.bytes.length)
    .set('EncapsulatedDocument', padded, 'OB');
}

/** The discharge summary as CDA R2 (structured body: paragraphs, a list, a table, a nested section). */
export function dischargeSummaryCda(study: Study): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
  <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
  <id root="${study.uid}" extension="1"/>
  <code code="18842-5" codeSystem="2.16.840.1.113883.6.1" displayName="Discharge summary"/>
  <title>Discharge summary (synthetic)</title>
  <effectiveTime value="${study.date}${study.time}"/>
  <confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>
  <recordTarget><patientRole><id extension="${study.patient.id}"/></patientRole></recordTarget>
  <author><time value="${study.date}"/><assignedAuthor><id extension="1"/><assignedPerson><name><given>Ada</given><family>Demo</family></name></assignedPerson></assignedAuthor></author>
  <component>
    <structuredBody>
      <component>
        <section>
          <title>Reason for admission</title>
          <text><paragraph>Shortness of breath for <content>three days</content>.</paragraph></text>
        </section>
      </component>
      <component>
        <section>
          <title>Medications on discharge</title>
          <text>
            <list listType="ordered">
              <item>Amoxicillin 500 mg three times a day</item>
              <item>Paracetamol 1 g as needed</item>
            </list>
          </text>
        </section>
      </component>
      <component>
        <section>
          <title>Vital signs</title>
          <text>
            <table>
              <thead><tr><th>Measure</th><th>Value</th></tr></thead>
              <tbody><tr><td>Pulse</td><td>72 /min</td></tr><tr><td>Temperature</td><td>36.8 °C</td></tr></tbody>
            </table>
          </text>
          <component>
            <section>
              <title>Follow-up</title>
              <text>Review in the chest clinic in <content>six weeks</content>.<br/>Bring this letter.</text>
            </section>
          </component>
        </section>
      </component>
    </structuredBody>
  </component>
</ClinicalDocument>
`;
}

/** A CDA whose body is a PDF (nonXMLBody, base64): the viewer shows the PDF. */
export function pdfBodyCda(study: Study, pdf: Uint8Array): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
  <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
  <id root="${study.uid}" extension="2"/>
  <title>Scanned referral (synthetic)</title>
  <effectiveTime value="${study.date}"/>
  <component><nonXMLBody><text mediaType="application/pdf" representation="B64">${Buffer.from(pdf).toString('base64')}</text></nonXMLBody></component>
</ClinicalDocument>
`;
}

function writeDocumentsStudy(outDir: string, ctx: DocumentsContext): DemoFile[] {
  const study = documentsStudy(ctx);
  const files: DemoFile[] = [];
  const letter = simplePdf(LETTER_PAGES);
  const entries = [
    { name: 'pdf', file: 'PDF0001', kind: 'pdf' as const, number: 1, description: 'Referral letter (synthetic Encapsulated PDF)', sopClassUID: SOP_CLASS.encapsulatedPdf, title: 'Referral letter', mimeType: 'application/pdf', bytes: letter },
    {
      name: 'cda',
      file: 'CDA0001',
      kind: 'cda' as const,
      number: 2,
      description: 'Discharge summary (synthetic Encapsulated CDA)',
      sopClassUID: SOP_CLASS.encapsulatedCda,
      title: 'Discharge summary',
      mimeType: 'text/XML',
      bytes: new TextEncoder().encode(dischargeSummaryCda(study)),
    },
    {
      name: 'cda-pdf',
      file: 'CDA0002',
      kind: 'cda' as const,
      number: 3,
      description: 'Scanned referral (synthetic CDA with a PDF body)',
      sopClassUID: SOP_CLASS.encapsulatedCda,
      title: 'Scanned referral',
      mimeType: 'text/XML',
      bytes: new TextEncoder().encode(pdfBodyCda(study, letter)),
    },
  ];
  for (const e of entries) {
    const series = { uid: ctx.uid(`documents/${e.name}/series`), number: e.number, description: e.description, modality: 'DOC' };
    const sop = ctx.uid(`documents/${e.name}/instance/1`);
    const b = encapsulated(ctx.header(study, series), { sopClassUID: e.sopClassUID, sopInstanceUID: sop, instanceNumber: 1, title: e.title, mimeType: e.mimeType, bytes: e.bytes });
    // File names in series order: the e2e data labels series in the order of their files (demo-cda, demo-cda-2).
    const file = path.join(outDir, DOCUMENTS_FOLDER, `${e.file}.dcm`);
    writePart10(b.dataset, file);
    files.push({ path: file, kind: e.kind, studyInstanceUID: study.uid, seriesInstanceUID: series.uid, sopInstanceUID: sop, sopClassUID: e.sopClassUID, instanceNumber: 1, frames: 0, description: series.description });
  }
  return files;
}

/** Writes the demo's reports and documents under `outDir/documents/`. */
export function writeDocuments(outDir: string, ctx: DocumentsContext): DemoFile[] {
  if (ctx.ct.length === 0) throw new Error('the demo reports refer to the CT: write it first');
  return [writeSr(outDir, ctx), writeKo(outDir, ctx), ...writeDocumentsStudy(outDir, ctx)];
}
