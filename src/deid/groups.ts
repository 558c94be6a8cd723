// Attributes Table E.1-1 does not list, in the groups that describe the patient, the camera and its position, the
// study request, the visit, the procedure steps and specimens, and media labels: removed.
//
// The table lists attributes known to identify; the standard keeps adding attributes to these groups (a requesting
// physician's identification sequence, strain and breed registries, specimen descriptions, Exif camera data), and
// an attribute the table does not yet list would otherwise survive de-identification. So in these groups the table
// is read the other way round: a row applies as the table says, and an attribute without a row is removed, unless
// it is one of the few below that describe how to read the pixel data or the report's structure rather than the
// patient (without them quantitative maps, slide geometry and SR documents could not be read).

/** Patient (0010), Exif and GPS (0016), study request (0032), visit (0038), procedure steps, specimens and SR
 * (0040), media creation and labels (2200). */
export const GROUPS_REMOVED_OUTSIDE_TABLE: ReadonlySet<number> = new Set([0x0010, 0x0016, 0x0032, 0x0038, 0x0040, 0x2200]);

/** Attributes of those groups kept although the table does not list them (tag → keyword); none of them is a row of
 * the table (a unit test checks that, so the table always wins). */
export const KEPT_OUTSIDE_TABLE: ReadonlyMap<string, string> = new Map([
  // How orientation labels read (biped or quadruped).
  ['00102210', 'AnatomicalOrientationType'],
  // Real-world value mapping: what the pixel values of a quantitative image or parametric map mean.
  ['004008EA', 'MeasurementUnitsCodeSequence'],
  ['00409092', 'ParametricMapFrameTypeSequence'],
  ['00409094', 'ReferencedImageRealWorldValueMappingSequence'],
  ['00409096', 'RealWorldValueMappingSequence'],
  ['00409098', 'PixelValueMappingCodeSequence'],
  ['00409210', 'LUTLabel'],
  ['00409211', 'RealWorldValueLastValueMapped'],
  ['00409212', 'RealWorldValueLUTData'],
  ['00409213', 'DoubleFloatRealWorldValueLastValueMapped'],
  ['00409214', 'DoubleFloatRealWorldValueFirstValueMapped'],
  ['00409216', 'RealWorldValueFirstValueMapped'],
  ['00409220', 'QuantityDefinitionSequence'],
  ['00409224', 'RealWorldValueIntercept'],
  ['00409225', 'RealWorldValueSlope'],
  // Whole slide microscopy: where each frame lies on the slide.
  ['00400710', 'WholeSlideMicroscopyImageFrameTypeSequence'],
  ['0040071A', 'ImageCenterPointCoordinatesSequence'],
  ['0040072A', 'XOffsetInSlideCoordinateSystem'],
  ['0040073A', 'YOffsetInSlideCoordinateSystem'],
  ['0040074A', 'ZOffsetInSlideCoordinateSystem'],
  // Why an image is referenced (a segmentation's or derived image's source).
  ['0040A170', 'PurposeOfReferenceCodeSequence'],
  // SR document and content item structure (codes, numbers, flags and references; their text, names and dates are
  // the table's, and the Content Sequence is D).
  ['0040A010', 'RelationshipType'],
  ['0040A040', 'ValueType'],
  ['0040A043', 'ConceptNameCodeSequence'],
  ['0040A050', 'ContinuityOfContent'],
  ['0040A168', 'ConceptCodeSequence'],
  ['0040A195', 'ModifierCodeSequence'],
  ['0040A300', 'MeasuredValueSequence'],
  ['0040A301', 'NumericValueQualifierCodeSequence'],
  ['0040A30A', 'NumericValue'],
  ['0040A161', 'FloatingPointValue'],
  ['0040A162', 'RationalNumeratorValue'],
  ['0040A163', 'RationalDenominatorValue'],
  ['0040A130', 'TemporalRangeType'],
  ['0040A132', 'ReferencedSamplePositions'],
  ['0040A136', 'ReferencedFrameNumbers'],
  ['0040A138', 'ReferencedTimeOffsets'],
  ['0040A0B0', 'ReferencedWaveformChannels'],
  ['0040A180', 'AnnotationGroupNumber'],
  ['0040DB00', 'TemplateIdentifier'],
  ['0040DB73', 'ReferencedContentItemIdentifier'],
  ['0040A504', 'ContentTemplateSequence'],
  ['0040A491', 'CompletionFlag'],
  ['0040A493', 'VerificationFlag'],
  ['0040A496', 'PreliminaryFlag'],
  // SR references to other instances (study, series and instance UIDs, replaced as the table says).
  ['0040A360', 'PredecessorDocumentsSequence'],
  ['0040A375', 'CurrentRequestedProcedureEvidenceSequence'],
  ['0040A385', 'PertinentOtherEvidenceSequence'],
  ['0040A525', 'IdenticalDocumentsSequence'],
]);

/** Kept inside the items of a sequence that action D fills with dummies (an SR's Content Sequence), where the fill
 * replaces their value: without it a TEXT content item would not be valid. Removed everywhere else. */
export const KEPT_IN_DUMMY_ITEMS: ReadonlyMap<string, string> = new Map([['0040A160', 'TextValue']]);

/** An attribute (8 upper-case hex digits) without a table row that is removed for its group; `inDummyItem`: it is
 * in an item of a sequence being filled with dummies. */
export function removedOutsideTable(tag: string, inDummyItem = false): boolean {
  if (!GROUPS_REMOVED_OUTSIDE_TABLE.has(parseInt(tag.slice(0, 4), 16))) return false;
  return !KEPT_OUTSIDE_TABLE.has(tag) && !(inDummyItem && KEPT_IN_DUMMY_ITEMS.has(tag));
}
