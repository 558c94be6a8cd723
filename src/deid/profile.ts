// DICOM PS3.15 Annex E, Table E.1-1: the Basic Application Level Confidentiality Profile's attributes, as data.
//
// Each row keeps the action code as the standard writes it (`code`, e.g. "X/Z/D") and the single action this
// implementation applies (`action`), resolved by `resolveAction` below:
//   - a plain code (D, Z, X, K, C, U) is used as is;
//   - a combined code takes its strictest part (X before Z before D), because the table lists the laxer parts only
//     for when the stricter one would break the IOD: Z/D → Z, X/Z → X, X/D → X, X/Z/D → X, X/Z/U* → X;
//   - rows marked `type1` are Type 1 (a value is required) in the objects this viewer exports, so they take D: an
//     empty value would make the object non-conformant, and a dummy says no more than nothing;
//   - X/Z/U* rows (reference sequences) additionally get `nestedAction: 'U'`: inside another sequence's item (a
//     segmentation's Derivation Image Sequence, a reference structure) they are usually Type 1, so there they are
//     kept and every instance UID in them is replaced, as the U* part of the code allows.
// Columns of the standard other than the Basic Profile are reflected by two flags only:
//   - `temporal` (Retain Longitudinal Temporal Information with Modified Dates Option: dates shifted, times kept);
//   - `patientCharacteristic` (Retain Patient Characteristics Option: kept). Attributes the standard would *clean*
//     under that option (allergies, medical alerts, additional history…) are not flagged: this implementation does
//     not clean free text, so they stay removed.
// Private attributes (odd groups), curve groups (50xx) and overlay groups (60xx) are not rows: deidentify.ts removes
// them by group.

/** The actions of PS3.15 Table E.1-1 that this implementation applies. */
export type Action =
  /** replace with a dummy value consistent with the VR */
  | 'D'
  /** replace with a zero-length value */
  | 'Z'
  /** remove */
  | 'X'
  /** keep */
  | 'K'
  /** clean (not used by the Basic Profile itself) */
  | 'C'
  /** replace every instance UID with one mapped consistently for the export session */
  | 'U';

export interface ProfileEntry {
  /** 8 hex digits, upper case, e.g. "00100010". */
  readonly tag: string;
  /** The DICOM keyword (PS3.6). */
  readonly keyword: string;
  /** The value representation (PS3.6). */
  readonly vr: string;
  /** The Basic Profile action code as the table writes it, e.g. "X/Z/D". */
  readonly code: string;
  /** The action applied (see the header comment). */
  readonly action: Action;
  /** The action applied when the attribute is found inside a sequence item, where different. */
  readonly nestedAction?: Action;
  /** A date, time or date-time (DA/TM/DT) under the Retain Longitudinal Temporal Information Modified Dates Option. */
  readonly temporal: boolean;
  /** Kept under the Retain Patient Characteristics Option. */
  readonly patientCharacteristic: boolean;
}

interface RowFlags {
  /** Type 1 where exported: a combined code that allows D resolves to D. */
  type1?: boolean;
  /** Kept under the Retain Patient Characteristics Option. */
  pc?: boolean;
  /** Not shifted under the Modified Dates Option even though a date (birth date and time). */
  notTemporal?: boolean;
}

const STRICTNESS: readonly Action[] = ['X', 'Z', 'D', 'U', 'C', 'K'];

/** A Table E.1-1 action code ("X/Z/D", "X/Z/U*", "Z"…) → the one action applied (see the header comment). */
export function resolveAction(code: string, type1 = false): Action {
  const parts = code.split('/').map((p) => p.replace('*', '')) as Action[];
  for (const p of parts) if (!STRICTNESS.includes(p)) throw new Error(`Unknown action code ${code}`);
  if (type1 && parts.includes('D')) return 'D';
  for (const a of STRICTNESS) if (parts.includes(a)) return a;
  throw new Error(`Unknown action code ${code}`);
}

type Row = readonly [tag: string, keyword: string, vr: string, code: string, flags?: RowFlags];

const PC: RowFlags = { pc: true };
const T1: RowFlags = { type1: true };

// prettier-ignore
const ROWS: readonly Row[] = [
  // General study, series, equipment and instance identification
  ['00080012', 'InstanceCreationDate', 'DA', 'X/D'],
  ['00080013', 'InstanceCreationTime', 'TM', 'X/Z/D'],
  ['00080014', 'InstanceCreatorUID', 'UI', 'U'],
  ['00080015', 'InstanceCoercionDateTime', 'DT', 'X'],
  ['00080017', 'AcquisitionUID', 'UI', 'U'],
  ['00080018', 'SOPInstanceUID', 'UI', 'U'],
  ['00080019', 'PyramidUID', 'UI', 'U'],
  ['00080020', 'StudyDate', 'DA', 'Z'],
  ['00080021', 'SeriesDate', 'DA', 'X/D'],
  ['00080022', 'AcquisitionDate', 'DA', 'X/Z'],
  ['00080023', 'ContentDate', 'DA', 'Z/D', T1],
  ['00080024', 'OverlayDate', 'DA', 'X'],
  ['00080025', 'CurveDate', 'DA', 'X'],
  ['0008002A', 'AcquisitionDateTime', 'DT', 'X/Z/D'],
  ['00080030', 'StudyTime', 'TM', 'Z'],
  ['00080031', 'SeriesTime', 'TM', 'X/D'],
  ['00080032', 'AcquisitionTime', 'TM', 'X/Z'],
  ['00080033', 'ContentTime', 'TM', 'Z/D', T1],
  ['00080034', 'OverlayTime', 'TM', 'X'],
  ['00080035', 'CurveTime', 'TM', 'X'],
  ['00080050', 'AccessionNumber', 'SH', 'Z'],
  ['00080054', 'RetrieveAETitle', 'AE', 'X'],
  ['00080055', 'StationAETitle', 'AE', 'X'],
  ['00080058', 'FailedSOPInstanceUIDList', 'UI', 'U'],
  ['00080080', 'InstitutionName', 'LO', 'X/Z/D'],
  ['00080081', 'InstitutionAddress', 'ST', 'X'],
  ['00080082', 'InstitutionCodeSequence', 'SQ', 'X/Z/D'],
  ['00080090', 'ReferringPhysicianName', 'PN', 'Z'],
  ['00080092', 'ReferringPhysicianAddress', 'ST', 'X'],
  ['00080094', 'ReferringPhysicianTelephoneNumbers', 'SH', 'X'],
  ['00080096', 'ReferringPhysicianIdentificationSequence', 'SQ', 'X'],
  ['0008009C', 'ConsultingPhysicianName', 'PN', 'Z'],
  ['0008009D', 'ConsultingPhysicianIdentificationSequence', 'SQ', 'X'],
  ['0008010D', 'ContextGroupExtensionCreatorUID', 'UI', 'U'],
  ['00080201', 'TimezoneOffsetFromUTC', 'SH', 'X'],
  ['00081010', 'StationName', 'SH', 'X/Z/D'],
  ['00081030', 'StudyDescription', 'LO', 'X'],
  ['00081032', 'ProcedureCodeSequence', 'SQ', 'X'],
  ['0008103E', 'SeriesDescription', 'LO', 'X'],
  ['00081040', 'InstitutionalDepartmentName', 'LO', 'X'],
  ['00081041', 'InstitutionalDepartmentTypeCodeSequence', 'SQ', 'X'],
  ['00081048', 'PhysiciansOfRecord', 'PN', 'X'],
  ['00081049', 'PhysiciansOfRecordIdentificationSequence', 'SQ', 'X'],
  ['00081050', 'PerformingPhysicianName', 'PN', 'X'],
  ['00081052', 'PerformingPhysicianIdentificationSequence', 'SQ', 'X'],
  ['00081060', 'NameOfPhysiciansReadingStudy', 'PN', 'X'],
  ['00081062', 'PhysiciansReadingStudyIdentificationSequence', 'SQ', 'X'],
  ['00081070', 'OperatorsName', 'PN', 'X/Z/D'],
  ['00081072', 'OperatorIdentificationSequence', 'SQ', 'X/D'],
  ['00081080', 'AdmittingDiagnosesDescription', 'LO', 'X'],
  ['00081084', 'AdmittingDiagnosesCodeSequence', 'SQ', 'X'],
  ['00081088', 'PyramidDescription', 'LO', 'X'],
  ['00081110', 'ReferencedStudySequence', 'SQ', 'X/Z'],
  ['00081111', 'ReferencedPerformedProcedureStepSequence', 'SQ', 'X/Z/D'],
  ['00081120', 'ReferencedPatientSequence', 'SQ', 'X'],
  ['00081140', 'ReferencedImageSequence', 'SQ', 'X/Z/U*'],
  ['00081155', 'ReferencedSOPInstanceUID', 'UI', 'U'],
  ['00081195', 'TransactionUID', 'UI', 'U'],
  ['00082111', 'DerivationDescription', 'ST', 'X'],
  ['00082112', 'SourceImageSequence', 'SQ', 'X/Z/U*'],
  ['00083010', 'IrradiationEventUID', 'UI', 'U'],
  ['00084000', 'IdentifyingComments', 'LT', 'X'],
  ['00089123', 'CreatorVersionUID', 'UI', 'U'],

  // Patient
  ['00100010', 'PatientName', 'PN', 'Z'],
  ['00100020', 'PatientID', 'LO', 'Z'],
  ['00100021', 'IssuerOfPatientID', 'LO', 'X'],
  ['00100024', 'IssuerOfPatientIDQualifiersSequence', 'SQ', 'X'],
  ['00100026', 'SourcePatientGroupIdentificationSequence', 'SQ', 'X'],
  ['00100027', 'GroupOfPatientsIdentificationSequence', 'SQ', 'X'],
  ['00100030', 'PatientBirthDate', 'DA', 'Z', { notTemporal: true }],
  ['00100032', 'PatientBirthTime', 'TM', 'X', { notTemporal: true }],
  ['00100033', 'PatientBirthDateInAlternativeCalendar', 'LO', 'X'],
  ['00100034', 'PatientDeathDateInAlternativeCalendar', 'LO', 'X'],
  ['00100035', 'PatientAlternativeCalendar', 'CS', 'X'],
  ['00100040', 'PatientSex', 'CS', 'Z', PC],
  ['00100050', 'PatientInsurancePlanCodeSequence', 'SQ', 'X'],
  ['00100101', 'PatientPrimaryLanguageCodeSequence', 'SQ', 'X'],
  ['00100102', 'PatientPrimaryLanguageModifierCodeSequence', 'SQ', 'X'],
  ['00101000', 'OtherPatientIDs', 'LO', 'X'],
  ['00101001', 'OtherPatientNames', 'PN', 'X'],
  ['00101002', 'OtherPatientIDsSequence', 'SQ', 'X'],
  ['00101005', 'PatientBirthName', 'PN', 'X'],
  ['00101010', 'PatientAge', 'AS', 'X', PC],
  ['00101020', 'PatientSize', 'DS', 'X', PC],
  ['00101030', 'PatientWeight', 'DS', 'X', PC],
  ['00101040', 'PatientAddress', 'LO', 'X'],
  ['00101050', 'InsurancePlanIdentification', 'LO', 'X'],
  ['00101060', 'PatientMotherBirthName', 'PN', 'X'],
  ['00101080', 'MilitaryRank', 'LO', 'X'],
  ['00101081', 'BranchOfService', 'LO', 'X'],
  ['00101090', 'MedicalRecordLocator', 'LO', 'X'],
  ['00101100', 'ReferencedPatientPhotoSequence', 'SQ', 'X'],
  ['00102000', 'MedicalAlerts', 'LO', 'X'],
  ['00102110', 'Allergies', 'LO', 'X'],
  ['00102150', 'CountryOfResidence', 'LO', 'X'],
  ['00102152', 'RegionOfResidence', 'LO', 'X'],
  ['00102154', 'PatientTelephoneNumbers', 'SH', 'X'],
  ['00102155', 'PatientTelecomInformation', 'LT', 'X'],
  ['00102160', 'EthnicGroup', 'SH', 'X', PC],
  ['00102180', 'Occupation', 'SH', 'X'],
  ['001021A0', 'SmokingStatus', 'CS', 'X', PC],
  ['001021B0', 'AdditionalPatientHistory', 'LT', 'X'],
  ['001021C0', 'PregnancyStatus', 'US', 'X', PC],
  ['001021D0', 'LastMenstrualDate', 'DA', 'X'],
  ['001021F0', 'PatientReligiousPreference', 'LO', 'X'],
  ['00102203', 'PatientSexNeutered', 'CS', 'X/Z', PC],
  ['00102297', 'ResponsiblePerson', 'PN', 'X'],
  ['00102299', 'ResponsibleOrganization', 'LO', 'X'],
  ['00104000', 'PatientComments', 'LT', 'X'],

  // Clinical trial
  ['00120010', 'ClinicalTrialSponsorName', 'LO', 'D'],
  ['00120020', 'ClinicalTrialProtocolID', 'LO', 'D'],
  ['00120021', 'ClinicalTrialProtocolName', 'LO', 'Z'],
  ['00120030', 'ClinicalTrialSiteID', 'LO', 'Z'],
  ['00120031', 'ClinicalTrialSiteName', 'LO', 'Z'],
  ['00120040', 'ClinicalTrialSubjectID', 'LO', 'D'],
  ['00120042', 'ClinicalTrialSubjectReadingID', 'LO', 'D'],
  ['00120050', 'ClinicalTrialTimePointID', 'LO', 'Z'],
  ['00120051', 'ClinicalTrialTimePointDescription', 'ST', 'X'],
  ['00120060', 'ClinicalTrialCoordinatingCenterName', 'LO', 'Z'],
  ['00120071', 'ClinicalTrialSeriesID', 'LO', 'X'],
  ['00120072', 'ClinicalTrialSeriesDescription', 'LO', 'X'],
  ['00120081', 'ClinicalTrialProtocolEthicsCommitteeName', 'LO', 'D'],
  ['00120082', 'ClinicalTrialProtocolEthicsCommitteeApprovalNumber', 'LO', 'X'],

  // Acquisition and device
  ['00180010', 'ContrastBolusAgent', 'LO', 'Z/D'],
  ['00181000', 'DeviceSerialNumber', 'LO', 'X/Z/D'],
  ['00181002', 'DeviceUID', 'UI', 'U'],
  ['00181004', 'PlateID', 'LO', 'X'],
  ['00181005', 'GeneratorID', 'LO', 'X'],
  ['00181007', 'CassetteID', 'LO', 'X'],
  ['00181008', 'GantryID', 'LO', 'X'],
  ['00181009', 'UniqueDeviceIdentifier', 'UT', 'X'],
  ['0018100A', 'UDISequence', 'SQ', 'X'],
  ['0018100B', 'ManufacturerDeviceClassUID', 'UI', 'U'],
  ['00181012', 'DateOfSecondaryCapture', 'DA', 'X'],
  ['00181014', 'TimeOfSecondaryCapture', 'TM', 'X'],
  ['00181030', 'ProtocolName', 'LO', 'X/D'],
  ['00181072', 'RadiopharmaceuticalStartTime', 'TM', 'X'],
  ['00181073', 'RadiopharmaceuticalStopTime', 'TM', 'X'],
  ['00181078', 'RadiopharmaceuticalStartDateTime', 'DT', 'X'],
  ['00181079', 'RadiopharmaceuticalStopDateTime', 'DT', 'X'],
  ['00181200', 'DateOfLastCalibration', 'DA', 'X'],
  ['00181201', 'TimeOfLastCalibration', 'TM', 'X'],
  ['00181400', 'AcquisitionDeviceProcessingDescription', 'LO', 'X/D'],
  ['00184000', 'AcquisitionComments', 'LT', 'X'],
  ['0018700A', 'DetectorID', 'SH', 'X/D'],
  ['0018700C', 'DateOfLastDetectorCalibration', 'DA', 'X/D'],
  ['0018700E', 'TimeOfLastDetectorCalibration', 'TM', 'X/D'],
  ['00189074', 'FrameAcquisitionDateTime', 'DT', 'X/D'],
  ['00189151', 'FrameReferenceDateTime', 'DT', 'X/D'],
  ['00189424', 'AcquisitionProtocolDescription', 'LT', 'X'],
  ['00189516', 'StartAcquisitionDateTime', 'DT', 'X/D'],
  ['00189517', 'EndAcquisitionDateTime', 'DT', 'X/D'],
  ['00189701', 'DecayCorrectionDateTime', 'DT', 'X/D'],
  ['00189804', 'ExclusionStartDateTime', 'DT', 'X/D'],
  ['0018A002', 'ContributionDateTime', 'DT', 'X/D'],
  ['0018A003', 'ContributionDescription', 'ST', 'X'],

  // Relationship, image and frame of reference
  ['0020000D', 'StudyInstanceUID', 'UI', 'U'],
  ['0020000E', 'SeriesInstanceUID', 'UI', 'U'],
  ['00200010', 'StudyID', 'SH', 'Z'],
  ['00200052', 'FrameOfReferenceUID', 'UI', 'U'],
  ['00200200', 'SynchronizationFrameOfReferenceUID', 'UI', 'U'],
  ['00203401', 'ModifyingDeviceID', 'CS', 'X'],
  ['00203403', 'ModifiedImageDate', 'DA', 'X'],
  ['00203404', 'ModifyingDeviceManufacturer', 'LO', 'X'],
  ['00203405', 'ModifiedImageTime', 'TM', 'X'],
  ['00203406', 'ModifiedImageDescription', 'LO', 'X'],
  ['00204000', 'ImageComments', 'LT', 'X'],
  ['00209158', 'FrameComments', 'LT', 'X'],
  ['00209161', 'ConcatenationUID', 'UI', 'U'],
  ['00209164', 'DimensionOrganizationUID', 'UI', 'U'],
  ['00281199', 'PaletteColorLookupTableUID', 'UI', 'U'],
  ['00281214', 'LargePaletteColorLookupTableUID', 'UI', 'U'],
  ['00284000', 'ImagePresentationComments', 'LT', 'X'],

  // Study scheduling and visit
  ['00320012', 'StudyIDIssuer', 'LO', 'X'],
  ['00320032', 'StudyVerifiedDate', 'DA', 'X'],
  ['00320033', 'StudyVerifiedTime', 'TM', 'X'],
  ['00320034', 'StudyReadDate', 'DA', 'X'],
  ['00320035', 'StudyReadTime', 'TM', 'X'],
  ['00321000', 'ScheduledStudyStartDate', 'DA', 'X'],
  ['00321001', 'ScheduledStudyStartTime', 'TM', 'X'],
  ['00321010', 'ScheduledStudyStopDate', 'DA', 'X'],
  ['00321011', 'ScheduledStudyStopTime', 'TM', 'X'],
  ['00321020', 'ScheduledStudyLocation', 'LO', 'X'],
  ['00321021', 'ScheduledStudyLocationAETitle', 'AE', 'X'],
  ['00321030', 'ReasonForStudy', 'LO', 'X'],
  ['00321032', 'RequestingPhysician', 'PN', 'X'],
  ['00321033', 'RequestingService', 'LO', 'X'],
  ['00321040', 'StudyArrivalDate', 'DA', 'X'],
  ['00321041', 'StudyArrivalTime', 'TM', 'X'],
  ['00321050', 'StudyCompletionDate', 'DA', 'X'],
  ['00321051', 'StudyCompletionTime', 'TM', 'X'],
  ['00321060', 'RequestedProcedureDescription', 'LO', 'X/Z'],
  ['00321070', 'RequestedContrastAgent', 'LO', 'X'],
  ['00324000', 'StudyComments', 'LT', 'X'],
  ['00380004', 'ReferencedPatientAliasSequence', 'SQ', 'X'],
  ['00380010', 'AdmissionID', 'LO', 'X'],
  ['00380011', 'IssuerOfAdmissionID', 'LO', 'X'],
  ['00380014', 'IssuerOfAdmissionIDSequence', 'SQ', 'X'],
  ['0038001A', 'ScheduledAdmissionDate', 'DA', 'X'],
  ['0038001B', 'ScheduledAdmissionTime', 'TM', 'X'],
  ['0038001C', 'ScheduledDischargeDate', 'DA', 'X'],
  ['0038001D', 'ScheduledDischargeTime', 'TM', 'X'],
  ['0038001E', 'ScheduledPatientInstitutionResidence', 'LO', 'X'],
  ['00380020', 'AdmittingDate', 'DA', 'X'],
  ['00380021', 'AdmittingTime', 'TM', 'X'],
  ['00380030', 'DischargeDate', 'DA', 'X'],
  ['00380032', 'DischargeTime', 'TM', 'X'],
  ['00380040', 'DischargeDiagnosisDescription', 'LO', 'X'],
  ['00380050', 'SpecialNeeds', 'LO', 'X'],
  ['00380060', 'ServiceEpisodeID', 'LO', 'X'],
  ['00380061', 'IssuerOfServiceEpisodeID', 'LO', 'X'],
  ['00380062', 'ServiceEpisodeDescription', 'LO', 'X'],
  ['00380064', 'IssuerOfServiceEpisodeIDSequence', 'SQ', 'X'],
  ['00380300', 'CurrentPatientLocation', 'LO', 'X'],
  ['00380400', 'PatientInstitutionResidence', 'LO', 'X'],
  ['00380500', 'PatientState', 'LO', 'X'],
  ['00384000', 'VisitComments', 'LT', 'X'],

  // Procedure steps, requests and orders
  ['00400001', 'ScheduledStationAETitle', 'AE', 'X'],
  ['00400002', 'ScheduledProcedureStepStartDate', 'DA', 'X'],
  ['00400003', 'ScheduledProcedureStepStartTime', 'TM', 'X'],
  ['00400004', 'ScheduledProcedureStepEndDate', 'DA', 'X'],
  ['00400005', 'ScheduledProcedureStepEndTime', 'TM', 'X'],
  ['00400006', 'ScheduledPerformingPhysicianName', 'PN', 'X'],
  ['00400007', 'ScheduledProcedureStepDescription', 'LO', 'X'],
  ['00400009', 'ScheduledProcedureStepID', 'SH', 'X'],
  ['0040000B', 'ScheduledPerformingPhysicianIdentificationSequence', 'SQ', 'X'],
  ['00400010', 'ScheduledStationName', 'SH', 'X'],
  ['00400011', 'ScheduledProcedureStepLocation', 'SH', 'X'],
  ['00400012', 'PreMedication', 'LO', 'X'],
  ['00400241', 'PerformedStationAETitle', 'AE', 'X'],
  ['00400242', 'PerformedStationName', 'SH', 'X'],
  ['00400243', 'PerformedLocation', 'SH', 'X'],
  ['00400244', 'PerformedProcedureStepStartDate', 'DA', 'X'],
  ['00400245', 'PerformedProcedureStepStartTime', 'TM', 'X'],
  ['00400250', 'PerformedProcedureStepEndDate', 'DA', 'X'],
  ['00400251', 'PerformedProcedureStepEndTime', 'TM', 'X'],
  ['00400253', 'PerformedProcedureStepID', 'SH', 'X'],
  ['00400254', 'PerformedProcedureStepDescription', 'LO', 'X'],
  ['00400275', 'RequestAttributesSequence', 'SQ', 'X'],
  ['00400280', 'CommentsOnThePerformedProcedureStep', 'ST', 'X'],
  ['00400310', 'CommentsOnRadiationDose', 'ST', 'X'],
  ['00400555', 'AcquisitionContextSequence', 'SQ', 'X'],
  ['00401001', 'RequestedProcedureID', 'SH', 'X'],
  ['00401002', 'ReasonForTheRequestedProcedure', 'LO', 'X'],
  ['00401004', 'PatientTransportArrangements', 'LO', 'X'],
  ['00401005', 'RequestedProcedureLocation', 'LO', 'X'],
  ['00401010', 'NamesOfIntendedRecipientsOfResults', 'PN', 'X'],
  ['00401011', 'IntendedRecipientsOfResultsIdentificationSequence', 'SQ', 'X'],
  ['00401101', 'PersonIdentificationCodeSequence', 'SQ', 'D'],
  ['00401102', 'PersonAddress', 'ST', 'X'],
  ['00401103', 'PersonTelephoneNumbers', 'LO', 'X'],
  ['00401104', 'PersonTelecomInformation', 'LT', 'X'],
  ['00401400', 'RequestedProcedureComments', 'LT', 'X'],
  ['00402001', 'ReasonForTheImagingServiceRequest', 'LO', 'X'],
  ['00402008', 'OrderEnteredBy', 'PN', 'X'],
  ['00402009', 'OrderEntererLocation', 'SH', 'X'],
  ['00402010', 'OrderCallbackPhoneNumber', 'SH', 'X'],
  ['00402011', 'OrderCallbackTelecomInformation', 'LT', 'X'],
  ['00402016', 'PlacerOrderNumberImagingServiceRequest', 'LO', 'Z'],
  ['00402017', 'FillerOrderNumberImagingServiceRequest', 'LO', 'Z'],
  ['00402400', 'ImagingServiceRequestComments', 'LT', 'X'],
  ['00403001', 'ConfidentialityConstraintOnPatientDataDescription', 'LO', 'X'],
  ['00404005', 'ScheduledProcedureStepStartDateTime', 'DT', 'X'],
  ['00404008', 'ScheduledProcedureStepExpirationDateTime', 'DT', 'X'],
  ['00404010', 'ScheduledProcedureStepModificationDateTime', 'DT', 'X'],
  ['00404011', 'ExpectedCompletionDateTime', 'DT', 'X'],
  ['00404023', 'ReferencedGeneralPurposeScheduledProcedureStepTransactionUID', 'UI', 'U'],
  ['00404025', 'ScheduledStationNameCodeSequence', 'SQ', 'X'],
  ['00404027', 'ScheduledStationGeographicLocationCodeSequence', 'SQ', 'X'],
  ['00404028', 'PerformedStationNameCodeSequence', 'SQ', 'X'],
  ['00404030', 'PerformedStationGeographicLocationCodeSequence', 'SQ', 'X'],
  ['00404034', 'ScheduledHumanPerformersSequence', 'SQ', 'X'],
  ['00404035', 'ActualHumanPerformersSequence', 'SQ', 'X'],
  ['00404036', 'HumanPerformerOrganization', 'LO', 'X'],
  ['00404037', 'HumanPerformerName', 'PN', 'X'],
  ['00404050', 'PerformedProcedureStepStartDateTime', 'DT', 'X'],
  ['00404051', 'PerformedProcedureStepEndDateTime', 'DT', 'X'],
  ['00404052', 'ProcedureStepCancellationDateTime', 'DT', 'X'],
  ['00400554', 'SpecimenUID', 'UI', 'U'],

  // Structured reporting
  ['0040A027', 'VerifyingOrganization', 'LO', 'X'],
  ['0040A030', 'VerificationDateTime', 'DT', 'D'],
  ['0040A032', 'ObservationDateTime', 'DT', 'X/D'],
  ['0040A073', 'VerifyingObserverSequence', 'SQ', 'D'],
  ['0040A075', 'VerifyingObserverName', 'PN', 'D'],
  ['0040A078', 'AuthorObserverSequence', 'SQ', 'X'],
  ['0040A07A', 'ParticipantSequence', 'SQ', 'X'],
  ['0040A07C', 'CustodialOrganizationSequence', 'SQ', 'X'],
  ['0040A088', 'VerifyingObserverIdentificationCodeSequence', 'SQ', 'Z'],
  ['0040A120', 'DateTime', 'DT', 'X/D', T1],
  ['0040A121', 'Date', 'DA', 'X/D', T1],
  ['0040A122', 'Time', 'TM', 'X/D', T1],
  ['0040A123', 'PersonName', 'PN', 'D'],
  ['0040A124', 'UID', 'UI', 'U'],
  ['0040A160', 'TextValue', 'UT', 'X'],
  ['0040A171', 'ObservationUID', 'UI', 'U'],
  ['0040A730', 'ContentSequence', 'SQ', 'X'],
  ['0040DB0C', 'TemplateExtensionOrganizationUID', 'UI', 'U'],
  ['0040DB0D', 'TemplateExtensionCreatorUID', 'UI', 'U'],

  // Segmentation, registration, multiplexed waveforms, presentation states
  ['003A0310', 'MultiplexGroupUID', 'UI', 'U'],
  ['00620021', 'TrackingUID', 'UI', 'U'],
  ['00640003', 'SourceFrameOfReferenceUID', 'UI', 'U'],
  ['00700084', 'ContentCreatorName', 'PN', 'Z'],
  ['00700086', 'ContentCreatorIdentificationCodeSequence', 'SQ', 'X'],
  ['0070031A', 'FiducialUID', 'UI', 'U'],
  ['00701101', 'PresentationDisplayCollectionUID', 'UI', 'U'],
  ['00701102', 'PresentationSequenceCollectionUID', 'UI', 'U'],

  // Media, icons, topics
  ['00880140', 'StorageMediaFileSetUID', 'UI', 'U'],
  ['00880200', 'IconImageSequence', 'SQ', 'X'],
  ['00880904', 'TopicTitle', 'LO', 'X'],
  ['00880906', 'TopicSubject', 'ST', 'X'],
  ['00880910', 'TopicAuthor', 'LO', 'X'],
  ['00880912', 'TopicKeywords', 'LO', 'X'],

  // Digital signatures and attribute history
  ['04000100', 'DigitalSignatureUID', 'UI', 'U'],
  ['04000402', 'ReferencedDigitalSignatureSequence', 'SQ', 'X'],
  ['04000403', 'ReferencedSOPInstanceMACSequence', 'SQ', 'X'],
  ['04000404', 'MAC', 'OB', 'X'],
  ['04000550', 'ModifiedAttributesSequence', 'SQ', 'X'],
  ['04000561', 'OriginalAttributesSequence', 'SQ', 'X'],

  // Printing and free text
  ['20300020', 'TextString', 'LO', 'X'],

  // Radiotherapy
  ['30060002', 'StructureSetLabel', 'SH', 'D'],
  ['30060004', 'StructureSetName', 'LO', 'X'],
  ['30060006', 'StructureSetDescription', 'ST', 'X'],
  ['30060008', 'StructureSetDate', 'DA', 'X/D'],
  ['30060009', 'StructureSetTime', 'TM', 'X/D'],
  ['30060024', 'ReferencedFrameOfReferenceUID', 'UI', 'U'],
  ['30060026', 'ROIName', 'LO', 'X'],
  ['30060028', 'ROIDescription', 'ST', 'X'],
  ['30060085', 'ROIObservationLabel', 'SH', 'X'],
  ['300600A6', 'ROIInterpreter', 'PN', 'Z'],
  ['300600C2', 'RelatedFrameOfReferenceUID', 'UI', 'U'],
  ['300A0002', 'RTPlanLabel', 'SH', 'D'],
  ['300A0003', 'RTPlanName', 'LO', 'X'],
  ['300A0004', 'RTPlanDescription', 'ST', 'X'],
  ['300A000E', 'PrescriptionDescription', 'ST', 'X'],
  ['300A0013', 'DoseReferenceUID', 'UI', 'U'],
  ['300A0016', 'DoseReferenceDescription', 'LO', 'X'],
  ['300A0072', 'FractionGroupDescription', 'LO', 'X'],
  ['300A0083', 'ReferencedDoseReferenceUID', 'UI', 'U'],
  ['300A0650', 'PatientSetupUID', 'UI', 'U'],
  ['300A0700', 'TreatmentSessionUID', 'UI', 'U'],
  ['300C0113', 'ReasonForOmissionDescription', 'LO', 'X'],
  ['300E0008', 'ReviewerName', 'PN', 'X/Z'],
  ['30100006', 'ConceptualVolumeUID', 'UI', 'U'],
  ['30100013', 'ConstituentConceptualVolumeUID', 'UI', 'U'],
  ['30100015', 'SourceConceptualVolumeUID', 'UI', 'U'],

  // Results and interpretation (retired)
  ['40000010', 'Arbitrary', 'LT', 'X'],
  ['40004000', 'TextComments', 'LT', 'X'],
  ['40080040', 'ResultsID', 'SH', 'X'],
  ['40080042', 'ResultsIDIssuer', 'LO', 'X'],
  ['40080100', 'InterpretationRecordedDate', 'DA', 'X'],
  ['40080101', 'InterpretationRecordedTime', 'TM', 'X'],
  ['40080102', 'InterpretationRecorder', 'PN', 'X'],
  ['40080108', 'InterpretationTranscriptionDate', 'DA', 'X'],
  ['40080109', 'InterpretationTranscriptionTime', 'TM', 'X'],
  ['4008010A', 'InterpretationTranscriber', 'PN', 'X'],
  ['4008010B', 'InterpretationText', 'ST', 'X'],
  ['4008010C', 'InterpretationAuthor', 'PN', 'X'],
  ['40080111', 'InterpretationApproverSequence', 'SQ', 'X'],
  ['40080112', 'InterpretationApprovalDate', 'DA', 'X'],
  ['40080113', 'InterpretationApprovalTime', 'TM', 'X'],
  ['40080114', 'PhysicianApprovingInterpretation', 'PN', 'X'],
  ['40080115', 'InterpretationDiagnosisDescription', 'LT', 'X'],
  ['40080118', 'ResultsDistributionListSequence', 'SQ', 'X'],
  ['40080119', 'DistributionName', 'PN', 'X'],
  ['4008011A', 'DistributionAddress', 'LO', 'X'],
  ['40080200', 'InterpretationID', 'SH', 'X'],
  ['40080202', 'InterpretationIDIssuer', 'LO', 'X'],
  ['40080300', 'Impressions', 'ST', 'X'],
  ['40084000', 'ResultsComments', 'ST', 'X'],

  // Trailing data
  ['FFFAFFFA', 'DigitalSignaturesSequence', 'SQ', 'X'],
  ['FFFCFFFC', 'DataSetTrailingPadding', 'OB', 'X'],
];

const TEMPORAL_VRS = new Set(['DA', 'TM', 'DT']);

function toEntry([tag, keyword, vr, code, flags = {}]: Row): ProfileEntry {
  const action = resolveAction(code, flags.type1);
  const nested = code.includes('U*') ? { nestedAction: 'U' as const } : {};
  return {
    tag,
    keyword,
    vr,
    code,
    action,
    ...nested,
    temporal: TEMPORAL_VRS.has(vr) && !flags.notTemporal,
    patientCharacteristic: flags.pc === true,
  };
}

/** Table E.1-1 (the attributes listed above), in tag order. */
export const BASIC_PROFILE: readonly ProfileEntry[] = ROWS.map(toEntry).sort((a, b) => (a.tag < b.tag ? -1 : 1));

/** The table keyed by tag. */
export const PROFILE_BY_TAG: ReadonlyMap<string, ProfileEntry> = new Map(BASIC_PROFILE.map((e) => [e.tag, e]));

/** Private groups: every odd group (their creators included). */
export function isPrivateGroup(group: number): boolean {
  return group % 2 === 1;
}

/** Curve Data (50xx,xxxx) and Overlay (60xx,xxxx) repeating groups, removed whole: the table removes curves and the
 * overlay data and comments (which can hold text and identifying marks), and an overlay without its data is not valid. */
export function isCurveOrOverlayGroup(group: number): boolean {
  return (group >= 0x5000 && group <= 0x50ff) || (group >= 0x6000 && group <= 0x60ff);
}
