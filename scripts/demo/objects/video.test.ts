import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dcmjs } from '../../import/dcmjs.ts';
import { uidFromSeed } from '../part10.ts';
import { H264_CLIP, US_CINE_FRAMES, VIDEO_SOP, VIDEO_TS, writeVideoObjects } from './video.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lumen-video-demo-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const read = (file: string) => {
  const b = fs.readFileSync(file);
  return dcmjs.data.DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
};

describe('the video demo objects', () => {
  const files = writeVideoObjects(tmp, (name) => uidFromSeed(`test/${name}`));

  it('wraps the H.264 clip as Video Photographic Image Storage: the stream whole after an empty offset table', () => {
    const clip = files.find((f) => f.path.endsWith('h264.dcm') && f.sopClassUID === VIDEO_SOP.videoPhotographic)!;
    const { meta, dict } = read(clip.path);
    expect(meta['00020010']!.Value![0]).toBe(VIDEO_TS.h264);
    expect(dict['00280004']!.Value![0]).toBe('YBR_PARTIAL_420');
    expect(dict['00280008']!.Value![0]).toBe(50);
    expect(dict['00181063']!.Value![0]).toBe(40);
    const raw = fs.readFileSync(clip.path);
    const mp4 = fs.readFileSync(H264_CLIP);
    // Pixel Data (7FE0,0010) OB, undefined length, then an empty Basic Offset Table item.
    const at = raw.indexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0x00, 0xe0, 0, 0, 0, 0]));
    expect(at).toBeGreaterThan(0);
    expect(raw.subarray(at + 28, at + 28 + mp4.length).equals(mp4)).toBe(true);
  });

  it('gives the ultrasound loop a frame time vector, fast then slow, and puts all four in one study', () => {
    const cine = files.find((f) => f.kind === 'us-cine')!;
    const { dict } = read(cine.path);
    const vector = dict['00181065']!.Value as number[];
    expect(vector).toHaveLength(US_CINE_FRAMES);
    expect(vector.slice(0, 3)).toEqual([0, 100, 100]);
    expect(vector.at(-1)).toBe(400);
    expect((dict['7FE00010']!.Value![0] as ArrayBuffer).byteLength).toBe(128 * 128 * US_CINE_FRAMES);
    expect(files).toHaveLength(4);
    expect(new Set(files.map((f) => f.studyInstanceUID)).size).toBe(1);
    expect(new Set(files.map((f) => f.seriesInstanceUID)).size).toBe(4);
  });
});
