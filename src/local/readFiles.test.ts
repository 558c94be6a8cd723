import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { LocalIndex } from './localSource';
import { readEntry, type ReadResult } from './readFiles';

const DATA = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const have = fs.existsSync(DATA);

async function read(name: string, bytes: Uint8Array): Promise<ReadResult[]> {
  const out: ReadResult[] = [];
  await readEntry(name, new Blob([bytes as BlobPart]), (r) => out.push(r));
  return out;
}

const file = (name: string) => new Uint8Array(fs.readFileSync(path.join(DATA, name)));

describe.skipIf(!have)('reading local files', () => {
  it('reads a Part 10 file into metadata and frames', async () => {
    const [r] = await read('CT_small.dcm', file('CT_small.dcm'));
    expect(r?.kind).toBe('instance');
    if (r?.kind !== 'instance') return;
    const inst = r.instance;
    expect(inst.metadata['00080060']?.Value).toEqual(['CT']);
    expect(inst.metadata['7FE00010']).toBeUndefined();
    expect(inst.frameRanges).toEqual([[0, 128 * 128 * 2]]);
    expect(inst.frames.size).toBe(128 * 128 * 2);
    expect(inst.source.size).toBe(file('CT_small.dcm').length);
  });

  it('splits a multi-frame encapsulated file into its frames', async () => {
    const [r] = await read('SC_rgb_rle_2frame.dcm', file('SC_rgb_rle_2frame.dcm'));
    if (r?.kind !== 'instance') throw new Error(`not an instance: ${JSON.stringify(r)}`);
    expect(r.instance.frameRanges).toHaveLength(2);
    expect(r.instance.frameTransferSyntaxUID).toBe('1.2.840.10008.1.2.5');
  });

  it('skips what is not DICOM, with the reason', async () => {
    const [r] = await read('notes.txt', new TextEncoder().encode('hello, not an image'));
    expect(r).toMatchObject({ kind: 'skipped', why: 'not-dicom', path: 'notes.txt' });
  });

  it('lists the files of a DICOMDIR', async () => {
    const [r] = await read('TINY_ALPHA/DICOMDIR', file('dicomdirtests/TINY_ALPHA/DICOMDIR'));
    if (r?.kind !== 'dicomdir') throw new Error(`not a DICOMDIR: ${JSON.stringify(r)}`);
    expect(r.referenced.length).toBeGreaterThan(5);
    expect(r.referenced).toContain('PT000000/ST000000/SE000000/IM00000J');
  });

  it('reads the entries of a zip and skips the ones that are not DICOM', async () => {
    const zip = zipSync({ 'cd/CT_small.dcm': file('CT_small.dcm'), 'cd/MR/MR_small.dcm': file('MR_small.dcm'), 'cd/README.txt': new TextEncoder().encode('read me') });
    const results = await read('study.zip', zip);
    const instances = results.filter((r) => r.kind === 'instance');
    expect(instances.map((r) => r.kind === 'instance' && r.instance.path).sort()).toEqual(['study.zip/cd/CT_small.dcm', 'study.zip/cd/MR/MR_small.dcm']);
    expect(results.filter((r) => r.kind === 'skipped').map((r) => r.kind === 'skipped' && r.path)).toEqual(['study.zip/cd/README.txt']);
  });

  it('skips a zip entry past the size caps with the reason, and opens the rest of the zip', async () => {
    // A Part 10 preamble and then zeros: it passes the first-bytes check, so only the caps stop it.
    const bomb = new Uint8Array(8 * 1024 * 1024);
    bomb.set(new TextEncoder().encode('DICM'), 128);
    const zip = zipSync({ 'a/bomb.dcm': bomb, 'a/liar.dcm': bomb, 'a/CT_small.dcm': file('CT_small.dcm') }, { level: 9 });
    expect(zip.length).toBeLessThan(64 * 1024);
    // liar.dcm's local header says it is 200 bytes once inflated.
    const view = new DataView(zip.buffer);
    const second = 30 + view.getUint16(26, true) + view.getUint16(28, true) + view.getUint32(18, true);
    view.setUint32(second + 22, 200, true);
    const out: ReadResult[] = [];
    await readEntry('study.zip', new Blob([zip as BlobPart]), (r) => out.push(r), { entryBytes: 1024 * 1024, totalBytes: 4 * 1024 * 1024 });
    expect(out.map((r) => (r.kind === 'skipped' ? `${r.path}: ${r.why}` : r.kind))).toEqual(['study.zip/a/bomb.dcm: too-large', 'study.zip/a/liar.dcm: too-large', 'instance']);
    expect(out[0]).toMatchObject({ reason: expect.stringMatching(/8 MiB, more than the 1 MiB/) });
    expect(out[1]).toMatchObject({ reason: expect.stringMatching(/expands to more than 1 MiB/) });
  });

  it('refuses a zip entry that is not DICOM on its first bytes, before inflating it', async () => {
    // 8 MiB of zeros whose header says 100 bytes: refused as not DICOM, before the 1 MiB cap is ever reached.
    const zip = zipSync({ 'zeros.bin': new Uint8Array(8 * 1024 * 1024), 'CT_small.dcm': file('CT_small.dcm') }, { level: 9 });
    new DataView(zip.buffer).setUint32(22, 100, true);
    const out: ReadResult[] = [];
    await readEntry('bomb.zip', new Blob([zip as BlobPart]), (r) => out.push(r), { entryBytes: 1024 * 1024, totalBytes: 4 * 1024 * 1024 });
    expect(out.map((r) => r.kind)).toEqual(['skipped', 'instance']);
    expect(out[0]).toMatchObject({ why: 'not-dicom', path: 'bomb.zip/zeros.bin', reason: expect.stringMatching(/not DICOM Part 10/) });
  });

  it('says a damaged zip is damaged', async () => {
    const zip = zipSync({ 'a.dcm': file('CT_small.dcm') });
    const results = await read('broken.zip', zip.subarray(0, 2000));
    expect(results.some((r) => r.kind === 'skipped' && /zip/.test(r.reason))).toBe(true);
  });
});

describe.skipIf(!have)('the local index answers DICOMweb requests', () => {
  async function indexOf(...names: string[]): Promise<LocalIndex> {
    const index = new LocalIndex();
    for (const n of names) {
      for (const r of await read(n, file(n))) if (r.kind === 'instance') index.add(r.instance);
    }
    return index;
  }

  it('lists studies and series and serves metadata, frames and the file', async () => {
    const index = await indexOf('CT_small.dcm', 'MR_small.dcm');
    const studies = (await (await index.fetch('http://x/__local__/studies/index.json')).json()) as Record<string, { Value?: unknown[] }>[];
    expect(studies).toHaveLength(2);
    const ct = studies.find((s) => s['00080061']?.Value?.[0] === 'CT')!;
    const studyUID = String(ct['0020000D']?.Value?.[0]);
    const series = (await (await index.fetch(`http://x/__local__/studies/${studyUID}/series/index.json`)).json()) as Record<string, { Value?: unknown[] }>[];
    expect(series).toHaveLength(1);
    expect(series[0]!['00201209']?.Value).toEqual([1]);
    const seriesUID = String(series[0]!['0020000E']?.Value?.[0]);
    const metadata = (await (await index.fetch(`http://x/__local__/studies/${studyUID}/series/${seriesUID}/metadata`)).json()) as Record<string, { Value?: unknown[] }>[];
    const sop = String(metadata[0]!['00080018']?.Value?.[0]);
    const base = `http://x/__local__/studies/${studyUID}/series/${seriesUID}/instances/${sop}`;
    const frame = await index.fetch(`${base}/frames/1`);
    expect(frame.headers.get('content-type')).toMatch(/^multipart\/related/);
    const part10 = new Uint8Array(await (await index.fetch(base)).arrayBuffer());
    expect(part10).toEqual(file('CT_small.dcm'));
    expect((await index.fetch(`${base}/frames/2`)).status).toBe(404);
    expect(index.frame(studyUID, seriesUID, sop, 1)?.type).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1');
  });

  it('a duplicate filed under another study leaves no empty study behind', async () => {
    const index = await indexOf('CT_small.dcm');
    const [r] = await read('copy.dcm', file('CT_small.dcm'));
    if (r?.kind !== 'instance') throw new Error('not read');
    expect(index.add({ ...r.instance, studyInstanceUID: '2.25.1', seriesInstanceUID: '2.25.2' })).toBe(false);
    expect(index.studyCount).toBe(1);
    const studies = (await (await index.fetch('http://x/__local__/studies/index.json')).json()) as unknown[];
    expect(studies).toHaveLength(1);
  });

  it('keeps the first of two files with one SOP Instance UID', async () => {
    const index = await indexOf('CT_small.dcm');
    const [r] = await read('copy.dcm', file('CT_small.dcm'));
    expect(r?.kind === 'instance' && index.add(r.instance)).toBe(false);
    expect(index.instanceCount).toBe(1);
  });
});
