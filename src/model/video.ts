// What a browser needs to play a DICOM video: which codec its transfer syntax names, what container the stream
// is in (DICOM allows an MPEG-2 program or transport stream, MP4, or a bare elementary stream), the MIME type for a
// Blob, and the frame arithmetic for stepping. Pure: the viewer (features/objects/video) asks the browser.
import type { DicomJson } from '../dicom/json';
import { getNumber } from '../dicom/json';
import { Tag } from '../dicom/tags';
import { frameTimeMs } from './cine';

export type VideoCodec = 'mpeg2' | 'h264' | 'hevc';

/** The codec a video transfer syntax names, and the RFC 6381 codec string of its profile and level in MP4. */
export function videoCodecOf(transferSyntaxUID: string): { codec: VideoCodec; mp4Codecs?: string } | undefined {
  const base = transferSyntaxUID.replace(/\.1$/, ''); // the fragmentable variants (….100.1) carry the same stream
  switch (base) {
    case '1.2.840.10008.1.2.4.100':
    case '1.2.840.10008.1.2.4.101':
      return { codec: 'mpeg2' };
    case '1.2.840.10008.1.2.4.102':
    case '1.2.840.10008.1.2.4.103':
      return { codec: 'h264', mp4Codecs: 'avc1.640029' }; // High profile (0x64), level 4.1 (0x29)
    case '1.2.840.10008.1.2.4.104':
    case '1.2.840.10008.1.2.4.105':
      return { codec: 'h264', mp4Codecs: 'avc1.64002a' }; // High profile, level 4.2
    case '1.2.840.10008.1.2.4.106':
      return { codec: 'h264', mp4Codecs: 'avc1.80002a' }; // Stereo High profile (128), level 4.2
    case '1.2.840.10008.1.2.4.107':
      return { codec: 'hevc', mp4Codecs: 'hvc1.1.6.L153.B0' }; // Main, level 5.1
    case '1.2.840.10008.1.2.4.108':
      return { codec: 'hevc', mp4Codecs: 'hvc1.2.4.L153.B0' }; // Main 10, level 5.1
    default:
      return undefined;
  }
}

export type VideoContainer = 'mp4' | 'webm' | 'mpeg-ts' | 'mpeg-ps' | 'elementary' | 'unknown';

const startCode = (b: Uint8Array, i: number) => b[i] === 0 && b[i + 1] === 0 && (b[i + 2] === 1 || (b[i + 2] === 0 && b[i + 3] === 1));

/** The container of a stream, from its first bytes. */
export function sniffContainer(b: Uint8Array): VideoContainer {
  if (b.length < 12) return 'unknown';
  // ISO base media (MP4): a box whose type is ftyp (or a stream starting with its movie or media data box).
  const box = String.fromCharCode(b[4]!, b[5]!, b[6]!, b[7]!);
  if (box === 'ftyp' || box === 'moov' || box === 'mdat' || box === 'styp') return 'mp4';
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'webm';
  // MPEG-2 transport stream: a 0x47 sync byte every 188 bytes (192 with the Blu-ray time code prefix).
  for (const [size, offset] of [[188, 0], [192, 4]] as const) {
    if (b.length >= offset + 2 * size + 1 && b[offset] === 0x47 && b[offset + size] === 0x47 && b[offset + 2 * size] === 0x47) return 'mpeg-ts';
  }
  // Program stream: a pack header (00 00 01 BA).
  if (b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0xba) return 'mpeg-ps';
  // Elementary stream: a start code (H.264/HEVC Annex B NAL units, MPEG-2 sequence header 00 00 01 B3).
  if (startCode(b, 0)) return 'elementary';
  return 'unknown';
}

/** The MIME type to give the stream's Blob and ask `canPlayType` about. */
export function videoMimeType(container: VideoContainer, codec: { codec: VideoCodec; mp4Codecs?: string } | undefined): string {
  switch (container) {
    case 'mp4':
      return codec?.mp4Codecs ? `video/mp4; codecs="${codec.mp4Codecs}"` : 'video/mp4';
    case 'webm':
      return 'video/webm';
    case 'mpeg-ts':
      return 'video/mp2t';
    case 'mpeg-ps':
      return 'video/mpeg';
    case 'elementary':
      return codec?.codec === 'h264' ? 'video/h264' : codec?.codec === 'hevc' ? 'video/h265' : 'video/mpeg';
    case 'unknown':
      return 'application/octet-stream';
  }
}

/**
 * The clip's frame rate (frames per second) from its attributes: Frame Time, Cine Rate or Recommended Display Frame
 * Rate (model/cine.ts); else, once the video's duration is known, Number of Frames over it; else 25 (PAL, the most
 * common rate of clinical video).
 */
export function videoFrameRate(ds: DicomJson, durationSeconds?: number): number {
  const ms = frameTimeMs(ds);
  if (ms) return 1000 / ms;
  const frames = getNumber(ds, Tag.NumberOfFrames);
  if (frames && frames > 1 && durationSeconds && Number.isFinite(durationSeconds) && durationSeconds > 0) return frames / durationSeconds;
  return 25;
}

/** The frame shown at `time` (0-based): frame k covers [k/fps, (k+1)/fps). */
export function frameAt(time: number, fps: number): number {
  // A hair of tolerance: a time set to a frame's middle and read back as a float lands in that frame.
  return Math.max(0, Math.floor(time * fps + 1e-6));
}

/**
 * The time to seek to for frame k: its middle, so that neither rounding of the media clock nor the decoder's
 * timestamps land it on the frame before.
 */
export function timeOfFrame(frame: number, fps: number): number {
  return (Math.max(0, frame) + 0.5) / fps;
}

/** Frames in a clip of `duration` seconds at `fps` (NumberOfFrames when the file says). */
export function frameCount(ds: DicomJson, fps: number, durationSeconds: number): number {
  const declared = getNumber(ds, Tag.NumberOfFrames);
  if (declared && declared >= 1) return Math.floor(declared);
  return Number.isFinite(durationSeconds) && durationSeconds > 0 ? Math.max(1, Math.round(durationSeconds * fps)) : 1;
}

/** The playback speeds offered (the video element's playbackRate). */
export const VIDEO_SPEEDS = [0.25, 0.5, 1, 2, 4] as const;
