// The demo's video and cine objects, in an echocardiography study of their own:
//   1. an H.264 clip (MP4) as Video Photographic Image Storage (transfer syntax 1.2.840.10008.1.2.4.102);
//   2. the same clip as an Ultrasound Multi-frame Image (an H.264 ultrasound loop: a video by its transfer syntax);
//   3. an MPEG-2 clip (program stream, 1.2.840.10008.1.2.4.100), which browsers cannot play: the viewer says so;
//   4. a native ultrasound multi-frame whose frames come at the times of a Frame Time Vector (fast, then slow), for
//      the stack's cine at the file's own rate.
// The two clips are checked in beside this module (so the generator needs no ffmpeg), made with Debian's ffmpeg:
//   ffmpeg -f lavfi -i testsrc=size=320x240:rate=25 -t 2 -c:v libx264 -pix_fmt yuv420p -profile:v high -level 4.1 \
//          -preset veryslow -crf 30 -movflags +faststart video-h264.mp4                       (8.7 kB, 50 frames)
//   ffmpeg -f lavfi -i testsrc=size=160x120:rate=25 -t 1 -c:v mpeg2video -q:v 8 -f vob video-mpeg2.mpg   (18 kB)
// High profile, level 4.1 is what 1.2.840.10008.1.2.4.102 names; faststart puts the index (moov) first, so the
// browser can start before the whole stream is read. testsrc draws known colour bars (the e2e test samples them).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dcmjs } from '../../import/dcmjs.ts';
import { DatasetBuilder, fileMetaFor, writePart10 } from '../part10.ts';

export type VideoDemoKind = 'video' | 'us-cine';

const here = path.dirname(fileURLToPath(import.meta.url));
export const H264_CLIP = path.join(here, 'video-h264.mp4');
export const MPEG2_CLIP = path.join(here, 'video-mpeg2.mpg');

export const VIDEO_SOP = {
  videoPhotographic: '1.2.840.10008.5.1.4.1.1.77.1.4.1',
  usMultiFrame: '1.2.840.10008.5.1.4.1.1.3.1',
} as const;
export const VIDEO_TS = { h264: '1.2.840.10008.1.2.4.102', mpeg2: '1.2.840.10008.1.2.4.100' } as const;

/** The ultrasound cine's frame intervals: 10 frames 100 ms apart, then 10 frames 400 ms apart. */
export const US_CINE_FRAMES = 20;
export function usCineFrameTimeVector(): number[] {
  return Array.from({ length: US_CINE_FRAMES }, (_, i) => (i === 0 ? 0 : i < 10 ? 100 : 400));
}

export interface VideoDemoFile {
  path: string;
  kind: VideoDemoKind;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  sopClassUID: string;
  instanceNumber: number;
  frames: number;
  description: string;
}

/**
 * Writes a dataset whose pixel data is one encapsulated stream: an empty Basic Offset Table (a video's frames are not
 * separate fragments), then the stream in fragments of at most 64 kB. dcmjs would write an offset table per value,
 * so the dataset goes through it without pixel data and the Pixel Data element (the last one) is appended here.
 */
function writeEncapsulated(dataset: DatasetBuilder['dataset'], transferSyntax: string, stream: Uint8Array, file: string): void {
  const dict = new dcmjs.data.DicomDict(fileMetaFor(dataset, transferSyntax));
  dict.dict = dataset;
  const head = new Uint8Array(dict.write());
  const padded = stream.length % 2 ? Uint8Array.from([...stream, 0]) : stream;
  const FRAGMENT = 65536;
  const parts: Uint8Array[] = [head];
  const header = (group: number, element: number, length: number, vr?: string) => {
    const b = new Uint8Array(vr ? 12 : 8);
    const v = new DataView(b.buffer);
    v.setUint16(0, group, true);
    v.setUint16(2, element, true);
    if (vr) {
      b[4] = vr.charCodeAt(0);
      b[5] = vr.charCodeAt(1);
      v.setUint32(8, length, true);
    } else v.setUint32(4, length, true);
    return b;
  };
  parts.push(header(0x7fe0, 0x0010, 0xffffffff, 'OB'), header(0xfffe, 0xe000, 0));
  for (let at = 0; at < padded.length; at += FRAGMENT) {
    const piece = padded.subarray(at, Math.min(padded.length, at + FRAGMENT));
    parts.push(header(0xfffe, 0xe000, piece.length), piece);
  }
  parts.push(header(0xfffe, 0xe0dd, 0));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.concat(parts));
}

/** A sector of speckle with a bright ring moving down it: frame k's ring depth tells the frame. */
function usFrame(k: number, size: number): Uint8Array {
  const out = new Uint8Array(size * size);
  let seed = 977 + k * 131;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 16777216;
  const apexX = size / 2;
  const ringDepth = 20 + (k * (size - 40)) / (US_CINE_FRAMES - 1);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x - apexX;
      const r = Math.hypot(dx, y);
      const inside = y > 0 && Math.abs(Math.atan2(dx, y)) < Math.PI / 4 && r < size - 2;
      if (!inside) continue;
      const ring = Math.abs(r - ringDepth) < 4 ? 150 : 0;
      out[y * size + x] = Math.min(255, Math.round(40 + 50 * rand() + ring));
    }
  }
  return out;
}

/** Patient, study, series and equipment attributes of the echo study (a patient of its own). */
function common(study: string, series: { uid: string; number: number; description: string; modality: string }): DatasetBuilder {
  return new DatasetBuilder()
    .set('SpecificCharacterSet', 'ISO_IR 100')
    .set('StudyDate', '20250320')
    .set('SeriesDate', '20250320')
    .set('ContentDate', '20250320')
    .set('StudyTime', '081500')
    .set('SeriesTime', '081500')
    .set('ContentTime', '081500')
    .set('AccessionNumber', 'DEMOUS0001')
    .set('Modality', series.modality)
    .set('Manufacturer', 'Lumen synthetic')
    .set('ManufacturerModelName', 'Lumen demo generator')
    .set('InstitutionName', 'Lumen Demo Hospital')
    .set('StationName', 'LUMEN-DEMO')
    .set('ReferringPhysicianName', 'DEMO^CARDIOLOGIST')
    .set('StudyDescription', 'ECHOCARDIOGRAPHY WITH CLIPS')
    .set('SeriesDescription', series.description)
    .set('PatientName', 'DEMO^ECHO')
    .set('PatientID', 'DEMO-0005')
    .set('PatientBirthDate', '19660909')
    .set('PatientSex', 'M')
    .set('PatientAge', '058Y')
    .set('StudyInstanceUID', study)
    .set('SeriesInstanceUID', series.uid)
    .set('StudyID', 'US1')
    .set('SeriesNumber', series.number);
}

/**
 * Writes the video demo series into `outDir/video/` (emptied first), in a study of their own. `uid(name)` gives the
 * demo's deterministic UIDs (under the generator's UID root).
 */
export function writeVideoObjects(outDir: string, uid: (name: string) => string): VideoDemoFile[] {
  const dir = path.join(outDir, 'video');
  fs.rmSync(dir, { recursive: true, force: true });
  const files: VideoDemoFile[] = [];
  const study = uid('video/study');
  const frameOfReference = uid('video/frame-of-reference');

  const clip = (o: {
    name: string;
    number: number;
    description: string;
    modality: string;
    sopClass: string;
    ts: string;
    stream: Uint8Array;
    rows: number;
    columns: number;
    frames: number;
  }) => {
    const series = uid(`video/${o.name}/series`);
    const sop = uid(`video/${o.name}/instance/1`);
    const b = common(study, { uid: series, number: o.number, description: o.description, modality: o.modality })
      .set('ImageType', ['ORIGINAL', 'PRIMARY'])
      .set('SOPClassUID', o.sopClass)
      .set('SOPInstanceUID', sop)
      .set('InstanceNumber', 1)
      .set('PatientOrientation', null)
      .set('FrameOfReferenceUID', frameOfReference)
      .set('BurnedInAnnotation', 'NO')
      .set('LossyImageCompression', '01')
      .set('NumberOfFrames', o.frames)
      .set('FrameIncrementPointer', 0x00181063)
      .set('FrameTime', 40)
      .set('CineRate', 25)
      .set('RecommendedDisplayFrameRate', 25)
      .set('SamplesPerPixel', 3)
      .set('PhotometricInterpretation', 'YBR_PARTIAL_420')
      .set('PlanarConfiguration', 0)
      .set('Rows', o.rows)
      .set('Columns', o.columns)
      .set('BitsAllocated', 8)
      .set('BitsStored', 8)
      .set('HighBit', 7)
      .set('PixelRepresentation', 0);
    const file = path.join(dir, `${o.name}.dcm`);
    writeEncapsulated(b.dataset, o.ts, o.stream, file);
    files.push({
      path: file, kind: 'video', studyInstanceUID: study, seriesInstanceUID: series, sopInstanceUID: sop, sopClassUID: o.sopClass,
      instanceNumber: 1, frames: o.frames, description: o.description,
    });
  };
  const h264 = new Uint8Array(fs.readFileSync(H264_CLIP));
  clip({
    name: 'h264', number: 1, description: 'Test pattern clip, H.264 (synthetic video)', modality: 'XC',
    sopClass: VIDEO_SOP.videoPhotographic, ts: VIDEO_TS.h264, stream: h264, rows: 240, columns: 320, frames: 50,
  });
  clip({
    name: 'us-h264', number: 2, description: 'Echo loop, H.264 ultrasound multi-frame (synthetic)', modality: 'US',
    sopClass: VIDEO_SOP.usMultiFrame, ts: VIDEO_TS.h264, stream: h264, rows: 240, columns: 320, frames: 50,
  });
  clip({
    name: 'mpeg2', number: 3, description: 'Test pattern clip, MPEG-2 (synthetic video)', modality: 'XC',
    sopClass: VIDEO_SOP.videoPhotographic, ts: VIDEO_TS.mpeg2, stream: new Uint8Array(fs.readFileSync(MPEG2_CLIP)),
    rows: 120, columns: 160, frames: 25,
  });

  // Native ultrasound multi-frame with a Frame Time Vector: the stack's cine plays it at the file's times.
  const size = 128;
  const pixels = new Uint8Array(size * size * US_CINE_FRAMES);
  for (let k = 0; k < US_CINE_FRAMES; k++) pixels.set(usFrame(k, size), k * size * size);
  const series = uid('video/us-cine/series');
  const sop = uid('video/us-cine/instance/1');
  const description = 'Echo loop, frame time vector 100/400 ms (synthetic multi-frame)';
  const b = common(study, { uid: series, number: 4, description, modality: 'US' })
    .set('ImageType', ['ORIGINAL', 'PRIMARY', 'ABDOMINAL', ''])
    .set('SOPClassUID', VIDEO_SOP.usMultiFrame)
    .set('SOPInstanceUID', sop)
    .set('InstanceNumber', 1)
    .set('PatientOrientation', null)
    .set('FrameOfReferenceUID', frameOfReference)
    .set('BurnedInAnnotation', 'NO')
    .set('NumberOfFrames', US_CINE_FRAMES)
    .set('FrameIncrementPointer', 0x00181065)
    .set('FrameTimeVector', usCineFrameTimeVector())
    .set('SamplesPerPixel', 1)
    .set('PhotometricInterpretation', 'MONOCHROME2')
    .set('Rows', size)
    .set('Columns', size)
    .set('BitsAllocated', 8)
    .set('BitsStored', 8)
    .set('HighBit', 7)
    .set('PixelRepresentation', 0)
    .set('PixelData', pixels, 'OB');
  const file = path.join(dir, 'us-cine.dcm');
  writePart10(b.dataset, file);
  files.push({
    path: file, kind: 'us-cine', studyInstanceUID: study, seriesInstanceUID: series, sopInstanceUID: sop,
    sopClassUID: VIDEO_SOP.usMultiFrame, instanceNumber: 1, frames: US_CINE_FRAMES, description,
  });
  return files;
}
