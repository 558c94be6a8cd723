// The demo's 12-lead ECG: a synthetic resting ECG whose numbers are known, so that the viewer can be checked
// against them: sinus rhythm at 75 bpm (R-R 800 ms, first R peak at 0.4 s), lead II's R wave 1.0 mV above the
// baseline, 500 samples/s for 10 s, 16-bit samples of 2.5 µV. Limb leads follow Einthoven (III = II − I, aVR =
// −(I + II)/2, aVL = I − II/2, aVF = II − I/2). Its own patient and study (a cardiology visit), with annotations:
// a statement, the R-R interval and the first R peak's sample. Beside it, a hemodynamic series (lead II, arterial
// pressure, airflow) for channels that are not voltages.
import fs from 'node:fs';
import path from 'node:path';
import { DatasetBuilder, writePart10, type Dataset } from '../part10.ts';

export const ECG_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.9.1.1'; // 12-lead ECG Waveform Storage
export const ECG_DEMO = {
  samplingFrequency: 500,
  seconds: 10,
  rrSeconds: 0.8,
  firstR: 0.4,
  /** Lead II's R wave, mV. */
  rII: 1.0,
  /** µV per stored unit. */
  sensitivity: 2.5,
} as const;

const gauss = (t: number, at: number, width: number, height: number) => height * Math.exp(-(((t - at) / width) ** 2) / 2);

/** One beat's shape around its R peak at t = 0, with the R wave 1 (P 0.15, Q −0.1, S −0.25, T 0.3). */
function beat(t: number, p: number, qrs: number, tw: number): number {
  return (
    gauss(t, -0.16, 0.02, 0.15 * p) + qrs * (gauss(t, -0.025, 0.008, -0.1) + gauss(t, 0, 0.01, 1) + gauss(t, 0.03, 0.01, -0.25)) + gauss(t, 0.3, 0.045, 0.3 * tw)
  );
}

/** Per lead: the scale of its P, QRS and T waves relative to lead II (precordial leads: a typical R progression). */
const LIMB = { I: [0.6, 0.6, 0.6], II: [1, 1, 1] } as const;
const PRECORDIAL = {
  V1: [0.5, -0.6, -0.3],
  V2: [0.5, -0.3, 0.8],
  V3: [0.5, 0.4, 1],
  V4: [0.5, 1.3, 1],
  V5: [0.5, 1.2, 0.9],
  V6: [0.5, 0.9, 0.8],
} as const;
/** SCP-ECG lead codes (5.6.3-9-n) and their meanings, in the file's channel order. */
const LEADS: [string, number, string][] = [
  ['I', 1, 'Lead I (Einthoven)'],
  ['II', 2, 'Lead II'],
  ['III', 61, 'Lead III'],
  ['aVR', 62, 'Lead aVR'],
  ['aVL', 63, 'Lead aVL'],
  ['aVF', 64, 'Lead aVF'],
  ['V1', 3, 'Lead V1'],
  ['V2', 4, 'Lead V2'],
  ['V3', 5, 'Lead V3'],
  ['V4', 6, 'Lead V4'],
  ['V5', 7, 'Lead V5'],
  ['V6', 8, 'Lead V6'],
];

/** The twelve leads in mV, `[lead][sample]`, channel order as LEADS. */
export function syntheticEcg(): Float64Array[] {
  const { samplingFrequency: fs, seconds, rrSeconds, firstR, rII } = ECG_DEMO;
  const n = Math.round(fs * seconds);
  const shape = (t: number, [p, qrs, tw]: readonly [number, number, number]) => {
    let v = 0;
    for (let r = firstR; r < seconds + 1; r += rrSeconds) if (Math.abs(t - r) < 0.6) v += beat(t - r, p, qrs, tw);
    return rII * v;
  };
  const out = LEADS.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const t = i / fs;
    const I = shape(t, LIMB.I);
    const II = shape(t, LIMB.II);
    const values: Record<string, number> = { I, II, III: II - I, aVR: -(I + II) / 2, aVL: I - II / 2, aVF: II - I / 2 };
    for (const [name, scale] of Object.entries(PRECORDIAL)) values[name] = shape(t, scale);
    LEADS.forEach(([name], c) => (out[c]![i] = values[name]!));
  }
  return out;
}

const code = (value: string, scheme: string, meaning: string, version?: string): Dataset => {
  const b = new DatasetBuilder().set('CodeValue', value).set('CodingSchemeDesignator', scheme);
  if (version) b.set('CodingSchemeVersion', version);
  return b.set('CodeMeaning', meaning).dataset;
};

export interface EcgDemoFile {
  path: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  sopClassUID: string;
  instanceNumber: number;
  frames: number;
  description: string;
}

/** Writes the demo ECG into `outDir`/ecg (emptied first). `uid(name)` gives the demo's deterministic UIDs. */
export function writeEcgDemo(outDir: string, uid: (name: string) => string): EcgDemoFile[] {
  const dir = path.join(outDir, 'ecg');
  fs.rmSync(dir, { recursive: true, force: true });
  const { samplingFrequency, seconds, sensitivity } = ECG_DEMO;
  const leads = syntheticEcg();
  const n = Math.round(samplingFrequency * seconds);
  const data = new Int16Array(n * leads.length);
  for (let i = 0; i < n; i++) for (let c = 0; c < leads.length; c++) data[i * leads.length + c] = Math.round((leads[c]![i]! * 1000) / sensitivity);

  const study = { uid: uid('ecg/study'), date: '20250305', time: '081500' };
  const series = { uid: uid('ecg/series'), description: 'Resting 12-lead ECG, 75 bpm (synthetic)' };
  const sop = uid('ecg/instance/1');
  const channels = LEADS.map(([, n, meaning]) =>
    new DatasetBuilder()
      .set('ChannelSourceSequence', [code(`5.6.3-9-${n}`, 'SCPECG', meaning, '1.3')])
      .set('ChannelSensitivity', sensitivity)
      .set('ChannelSensitivityUnitsSequence', [code('uV', 'UCUM', 'microvolt', '1.4')])
      .set('ChannelSensitivityCorrectionFactor', 1)
      .set('ChannelBaseline', 0)
      .set('ChannelSampleSkew', 0)
      .set('WaveformBitsStored', 16)
      .set('FilterLowFrequency', 0.05)
      .set('FilterHighFrequency', 150)
      .dataset,
  );
  const group = new DatasetBuilder()
    .set('MultiplexGroupTimeOffset', 0)
    .set('WaveformOriginality', 'ORIGINAL')
    .set('NumberOfWaveformChannels', leads.length)
    .set('NumberOfWaveformSamples', n)
    .set('SamplingFrequency', samplingFrequency)
    .set('MultiplexGroupLabel', 'RHYTHM')
    .set('ChannelDefinitionSequence', channels)
    .set('WaveformBitsAllocated', 16)
    .set('WaveformSampleInterpretation', 'SS')
    .set('WaveformData', data, 'OW').dataset;
  const firstRSample = Math.round(ECG_DEMO.firstR * samplingFrequency) + 1; // 1-based
  const annotations = [
    new DatasetBuilder()
      .set('UnformattedTextValue', 'Sinus rhythm, 75 bpm (synthetic demo ECG)')
      .set('ReferencedWaveformChannels', [1, 0])
      .set('AnnotationGroupNumber', 0).dataset,
    new DatasetBuilder()
      .set('ConceptNameCodeSequence', [code('5.10.2.1-3', 'SCPECG', 'RR Interval', '1.3')])
      .set('NumericValue', ECG_DEMO.rrSeconds * 1000)
      .set('MeasurementUnitsCodeSequence', [code('ms', 'UCUM', 'milliseconds', '1.4')])
      .set('ReferencedWaveformChannels', [1, 0])
      .set('AnnotationGroupNumber', 1).dataset,
    new DatasetBuilder()
      .set('ConceptNameCodeSequence', [code('R', '99LUMEN', 'R wave peak')])
      .set('ReferencedWaveformChannels', [1, 2])
      .set('TemporalRangeType', 'POINT')
      .set('ReferencedSamplePositions', [firstRSample])
      .set('AnnotationGroupNumber', 2).dataset,
  ];
  const b = header(ECG_SOP_CLASS, sop, study, series.uid, 1, series.description)
    .set('WaveformAnnotationSequence', annotations)
    .set('WaveformSequence', [group]);
  const file = path.join(dir, 'ECG0001.dcm');
  writePart10(b.dataset, file);
  const ecgFile = { path: file, studyInstanceUID: study.uid, seriesInstanceUID: series.uid, sopInstanceUID: sop, sopClassUID: ECG_SOP_CLASS, instanceNumber: 1, frames: 0, description: series.description };
  return [ecgFile, writeHemodynamic(dir, uid, study, leads[1]!)];
}

/** Patient, study, series and equipment of the cardiology study. */
function header(sopClass: string, sop: string, study: { uid: string; date: string; time: string }, seriesUid: string, seriesNumber: number, description: string): DatasetBuilder {
  return new DatasetBuilder()
    .set('SpecificCharacterSet', 'ISO_IR 100')
    .set('SOPClassUID', sopClass)
    .set('SOPInstanceUID', sop)
    .set('StudyDate', study.date)
    .set('SeriesDate', study.date)
    .set('ContentDate', study.date)
    .set('StudyTime', study.time)
    .set('SeriesTime', study.time)
    .set('ContentTime', study.time)
    .set('AcquisitionDateTime', `${study.date}${study.time}`)
    .set('AccessionNumber', 'DEMOECG0001')
    .set('Modality', sopClass === ECG_SOP_CLASS ? 'ECG' : 'HD')
    .set('Manufacturer', 'Lumen synthetic')
    .set('ManufacturerModelName', 'Lumen demo generator')
    .set('InstitutionName', 'Lumen Demo Hospital')
    .set('ReferringPhysicianName', 'DEMO^CARDIOLOGIST')
    .set('StudyDescription', 'ECG REST 12 LEAD')
    .set('SeriesDescription', description)
    .set('PatientName', 'DEMO^CARDIO')
    .set('PatientID', 'DEMO-0007')
    .set('PatientBirthDate', '19660420')
    .set('PatientSex', 'M')
    .set('PatientAge', '058Y')
    .set('StudyInstanceUID', study.uid)
    .set('SeriesInstanceUID', seriesUid)
    .set('StudyID', 'ECG1')
    .set('SeriesNumber', seriesNumber)
    .set('InstanceNumber', 1);
}

export const HEMODYNAMIC_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.9.2.1';

/**
 * A hemodynamic recording beside the ECG, for the channels that are not voltages: lead II (the same beats), arterial
 * pressure 120/80 mmHg (the upstroke 150 ms after each R wave, stored in 0.1 mmHg) and airflow ±0.5 L/s at 15
 * breaths a minute (stored in mL/s).
 */
function writeHemodynamic(dir: string, uid: (name: string) => string, study: { uid: string; date: string; time: string }, leadII: Float64Array): EcgDemoFile {
  const { samplingFrequency: fs, rrSeconds, firstR, sensitivity } = ECG_DEMO;
  const n = leadII.length;
  const data = new Int16Array(n * 3);
  for (let i = 0; i < n; i++) {
    const t = i / fs;
    // Time since the last upstroke (150 ms after an R wave), within the beat.
    const since = (((t - firstR - 0.15) % rrSeconds) + rrSeconds) % rrSeconds;
    const pressure = 80 + 40 * (since < 0.12 ? Math.sin((Math.PI / 2) * (since / 0.12)) : Math.exp(-(since - 0.12) / 0.35));
    const flow = 0.5 * Math.sin(2 * Math.PI * 0.25 * t);
    data[i * 3] = Math.round((leadII[i]! * 1000) / sensitivity);
    data[i * 3 + 1] = Math.round(pressure * 10);
    data[i * 3 + 2] = Math.round(flow * 1000);
  }
  const channel = (source: Dataset, label: string, sens: number, unit: Dataset) =>
    new DatasetBuilder()
      .set('ChannelLabel', label)
      .set('ChannelSourceSequence', [source])
      .set('ChannelSensitivity', sens)
      .set('ChannelSensitivityUnitsSequence', [unit])
      .set('ChannelSensitivityCorrectionFactor', 1)
      .set('ChannelBaseline', 0)
      .set('WaveformBitsStored', 16).dataset;
  const group = new DatasetBuilder()
    .set('MultiplexGroupTimeOffset', 0)
    .set('WaveformOriginality', 'ORIGINAL')
    .set('NumberOfWaveformChannels', 3)
    .set('NumberOfWaveformSamples', n)
    .set('SamplingFrequency', fs)
    .set('MultiplexGroupLabel', 'HEMODYNAMIC')
    .set('ChannelDefinitionSequence', [
      channel(code('5.6.3-9-2', 'SCPECG', 'Lead II', '1.3'), 'II', sensitivity, code('uV', 'UCUM', 'microvolt', '1.4')),
      channel(code('386534000', 'SCT', 'Arterial blood pressure'), 'ART', 0.1, code('mm[Hg]', 'UCUM', 'millimeter of mercury', '1.4')),
      channel(code('127570002', 'SCT', 'Respiratory airflow'), 'FLOW', 1, code('mL/s', 'UCUM', 'milliliter per second', '1.4')),
    ])
    .set('WaveformBitsAllocated', 16)
    .set('WaveformSampleInterpretation', 'SS')
    .set('WaveformData', data, 'OW').dataset;
  const seriesUid = uid('ecg/hemodynamic/series');
  const sop = uid('ecg/hemodynamic/instance/1');
  const description = 'Hemodynamics: lead II, arterial pressure, airflow (synthetic)';
  const file = path.join(dir, 'HEMO0001.dcm');
  writePart10(header(HEMODYNAMIC_SOP_CLASS, sop, study, seriesUid, 2, description).set('WaveformSequence', [group]).dataset, file);
  return { path: file, studyInstanceUID: study.uid, seriesInstanceUID: seriesUid, sopInstanceUID: sop, sopClassUID: HEMODYNAMIC_SOP_CLASS, instanceNumber: 1, frames: 0, description };
}
