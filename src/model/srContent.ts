// Reading a TID 1500 measurement report's content tree (a dcmjs naturalized dataset): what each measurement
// group says, independent of any drawing library. Used to check saved reports and to describe them.

type Item = Record<string, unknown>;

const asArray = (v: unknown): Item[] => (v === undefined || v === null ? [] : Array.isArray(v) ? (v as Item[]) : [v as Item]);

const conceptOf = (item: Item): string => String(asArray(item.ConceptNameCodeSequence)[0]?.CodeMeaning ?? '');

export interface SrValue {
  /** Concept name, e.g. "Length", "Mean", "Area". */
  concept: string;
  value: number;
  /** UCUM code, e.g. "mm", "mm2", "[hnsf'U]", "deg". */
  unit: string;
}

export interface SrGraphic {
  type: string;
  data: number[];
  sopInstanceUID?: string;
  frame?: number;
  /** SCOORD3D (patient coordinates, x y z per point, in this frame of reference) rather than image coordinates. */
  frameOfReferenceUID?: string;
}

export interface SrMeasurementGroup {
  trackingIdentifier: string;
  trackingUid?: string;
  /** Free-text comment or finding the reader gave the measurement. */
  label?: string;
  values: SrValue[];
  graphic?: SrGraphic;
}

function findScoord(items: Item[]): Item | undefined {
  for (const item of items) {
    if (item.ValueType === 'SCOORD' || item.ValueType === 'SCOORD3D') return item;
    const inner = findScoord(asArray(item.ContentSequence));
    if (inner) return inner;
  }
  return undefined;
}

/** The measurement groups of a TID 1500 report, in document order; throws for any other kind of document. */
export function readMeasurementGroups(dataset: Item): SrMeasurementGroup[] {
  const template = asArray(dataset.ContentTemplateSequence)[0];
  if (String(template?.TemplateIdentifier ?? '') !== '1500') throw new Error('not a TID 1500 measurement report');
  const measurements = asArray(dataset.ContentSequence).find((i) => i.ValueType === 'CONTAINER' && conceptOf(i) === 'Imaging Measurements');
  const groups = asArray(measurements?.ContentSequence).filter((i) => i.ValueType === 'CONTAINER' && conceptOf(i) === 'Measurement Group');
  return groups.map((group) => {
    const items = asArray(group.ContentSequence);
    const out: SrMeasurementGroup = { trackingIdentifier: '', values: [] };
    for (const item of items) {
      const concept = conceptOf(item);
      if (concept === 'Tracking Identifier') out.trackingIdentifier = String(item.TextValue ?? '');
      else if (concept === 'Tracking Unique Identifier') out.trackingUid = String(item.UID ?? '');
      else if (item.ValueType === 'TEXT') out.label = String(item.TextValue ?? '');
      else if (item.ValueType === 'CODE' && concept === 'Finding' && !out.label) {
        out.label = String(asArray(item.ConceptCodeSequence)[0]?.CodeMeaning ?? '') || undefined;
      } else if (item.ValueType === 'NUM') {
        const measured = asArray(item.MeasuredValueSequence)[0];
        const unit = asArray(measured?.MeasurementUnitsCodeSequence)[0];
        if (measured) out.values.push({ concept, value: Number(measured.NumericValue), unit: String(unit?.CodeValue ?? '') });
      }
    }
    const scoord = findScoord(items);
    if (scoord) {
      const ref = asArray(asArray(scoord.ContentSequence)[0]?.ReferencedSOPSequence)[0];
      out.graphic = {
        type: String(scoord.GraphicType ?? ''),
        data: asArray(scoord.GraphicData).map(Number),
        sopInstanceUID: ref ? String(ref.ReferencedSOPInstanceUID) : undefined,
        frame: ref?.ReferencedFrameNumber !== undefined ? Number(ref.ReferencedFrameNumber) : undefined,
        ...(scoord.ValueType === 'SCOORD3D' ? { frameOfReferenceUID: String(scoord.ReferencedFrameOfReferenceUID ?? '') } : {}),
      };
    }
    return out;
  });
}
