import { describe, expect, it } from 'vitest';
import { frameAt, frameCount, sniffContainer, timeOfFrame, videoCodecOf, videoFrameRate, videoMimeType } from './video';

const bytes = (...b: number[]) => {
  const out = new Uint8Array(400);
  out.set(b);
  return out;
};

describe('video streams', () => {
  it('names the codec and MP4 codec string of each video transfer syntax, fragmentable ones too', () => {
    expect(videoCodecOf('1.2.840.10008.1.2.4.100')).toEqual({ codec: 'mpeg2' });
    expect(videoCodecOf('1.2.840.10008.1.2.4.101.1')).toEqual({ codec: 'mpeg2' });
    expect(videoCodecOf('1.2.840.10008.1.2.4.102')).toEqual({ codec: 'h264', mp4Codecs: 'avc1.640029' });
    expect(videoCodecOf('1.2.840.10008.1.2.4.104.1')?.mp4Codecs).toBe('avc1.64002a');
    expect(videoCodecOf('1.2.840.10008.1.2.4.107')?.codec).toBe('hevc');
    expect(videoCodecOf('1.2.840.10008.1.2.4.50')).toBeUndefined();
  });

  it('tells MP4, WebM, transport and program streams and elementary streams by their first bytes', () => {
    expect(sniffContainer(bytes(0, 0, 0, 0x20, ...[...'ftypisom'].map((c) => c.charCodeAt(0))))).toBe('mp4');
    expect(sniffContainer(bytes(0x1a, 0x45, 0xdf, 0xa3))).toBe('webm');
    const ts = bytes();
    ts[0] = ts[188] = ts[376] = 0x47;
    expect(sniffContainer(ts)).toBe('mpeg-ts');
    expect(sniffContainer(bytes(0, 0, 1, 0xba, 0x44))).toBe('mpeg-ps');
    expect(sniffContainer(bytes(0, 0, 0, 1, 0x67))).toBe('elementary'); // H.264 SPS
    expect(sniffContainer(bytes(0, 0, 1, 0xb3))).toBe('elementary'); // MPEG-2 sequence header
    expect(sniffContainer(bytes(1, 2, 3, 4))).toBe('unknown');
    expect(sniffContainer(new Uint8Array(4))).toBe('unknown');
  });

  it('gives the Blob a MIME type the browser can judge', () => {
    expect(videoMimeType('mp4', videoCodecOf('1.2.840.10008.1.2.4.102'))).toBe('video/mp4; codecs="avc1.640029"');
    expect(videoMimeType('mpeg-ps', videoCodecOf('1.2.840.10008.1.2.4.100'))).toBe('video/mpeg');
    expect(videoMimeType('mpeg-ts', videoCodecOf('1.2.840.10008.1.2.4.102'))).toBe('video/mp2t');
    expect(videoMimeType('elementary', videoCodecOf('1.2.840.10008.1.2.4.102'))).toBe('video/h264');
  });

  it('takes the frame rate from the file, else from frames over duration, else 25', () => {
    expect(videoFrameRate({ '00181063': { vr: 'DS', Value: [40] } })).toBe(25);
    expect(videoFrameRate({ '00180040': { vr: 'IS', Value: [30] } })).toBeCloseTo(30, 9);
    expect(videoFrameRate({ '00280008': { vr: 'IS', Value: [100] } }, 4)).toBe(25);
    expect(videoFrameRate({ '00280008': { vr: 'IS', Value: [100] } })).toBe(25);
    expect(videoFrameRate({}, 2)).toBe(25);
    expect(frameCount({ '00280008': { vr: 'IS', Value: [50] } }, 25, 2.1)).toBe(50);
    expect(frameCount({}, 30, 2)).toBe(60);
  });

  it('steps by whole frames: a frame is sought at its middle and read back as itself', () => {
    for (const fps of [25, 30, 29.97, 7.5]) {
      for (let k = 0; k < 200; k++) expect(frameAt(timeOfFrame(k, fps), fps)).toBe(k);
      expect(timeOfFrame(11, fps) - timeOfFrame(10, fps)).toBeCloseTo(1 / fps, 12);
    }
    expect(frameAt(0, 25)).toBe(0);
    expect(frameAt(0.04, 25)).toBe(1); // a frame's start belongs to it
    expect(frameAt(0.0399, 25)).toBe(0);
    expect(timeOfFrame(-3, 25)).toBe(0.02);
  });
});
