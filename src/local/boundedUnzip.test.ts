import { strToU8, Zip, ZipDeflate, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readZipBounded, type ZipEvent, type ZipLimits } from './boundedUnzip';

const MiB = 1024 ** 2;
const small: ZipLimits = { entryBytes: 1 * MiB, totalBytes: 3 * MiB };

async function read(zip: Uint8Array, limits = small): Promise<ZipEvent[]> {
  const out: ZipEvent[] = [];
  await readZipBounded(new Blob([zip as BlobPart]), (e) => out.push(e), { limits });
  return out;
}

const summary = (events: ZipEvent[]) => events.map((e) => (e.kind === 'entry' ? `${e.name}: ${e.bytes.length}` : `${e.name}: ${e.why}`));

/** Offsets of the local file headers of a zip written with sizes (zipSync), in order. */
function localHeaders(zip: Uint8Array): number[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const out: number[] = [];
  for (let at = 0; view.getUint32(at, true) === 0x04034b50; ) {
    out.push(at);
    at += 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true) + view.getUint32(at + 18, true);
  }
  return out;
}

describe('reading a zip within bounds', () => {
  it('skips an entry that inflates past the cap (a small zip of zeros) and opens the others', async () => {
    const zip = zipSync({ 'a.txt': strToU8('first'), 'bomb.bin': new Uint8Array(16 * MiB), 'b.txt': strToU8('last') }, { level: 9 });
    expect(zip.length).toBeLessThan(64 * 1024);
    const events = await read(zip);
    expect(summary(events)).toEqual(['a.txt: 5', 'bomb.bin: too-large', 'b.txt: 4']);
    expect(events[1]).toMatchObject({ reason: expect.stringMatching(/says it expands to 16 MiB, more than the 1 MiB/) });
  });

  it('does not trust a declared size that is too small: the running count stops the entry', async () => {
    const zip = zipSync({ 'liar.bin': new Uint8Array(4 * MiB), 'ok.txt': strToU8('fine') }, { level: 9 });
    const view = new DataView(zip.buffer);
    view.setUint32(localHeaders(zip)[0]! + 22, 100, true); // "100 bytes once inflated"
    const events = await read(zip);
    expect(summary(events)).toEqual(['liar.bin: too-large', 'ok.txt: 4']);
    expect(events[0]).toMatchObject({ reason: expect.stringMatching(/expands to more than 1 MiB/) });
  });

  it('refuses an entry whose header declares more than the cap without inflating it', async () => {
    const zip = zipSync({ 'huge.bin': strToU8('tiny really'), 'ok.txt': strToU8('fine') });
    new DataView(zip.buffer).setUint32(localHeaders(zip)[0]! + 22, 0xfffffff0, true);
    const events = await read(zip);
    expect(summary(events)).toEqual(['huge.bin: too-large', 'ok.txt: 4']);
    expect(events[0]).toMatchObject({ reason: expect.stringMatching(/header says it expands to 4 GiB/) });
  });

  it('caps a streamed zip (no sizes in the headers) by the running count too', async () => {
    const parts: Uint8Array[] = [];
    const zip = new Zip((err, chunk) => {
      if (err) throw err;
      parts.push(chunk);
    });
    for (const [name, bytes] of [['bomb.bin', new Uint8Array(8 * MiB)], ['ok.txt', strToU8('fine')]] as const) {
      const entry = new ZipDeflate(name, { level: 9 });
      zip.add(entry);
      entry.push(bytes, true);
    }
    zip.end();
    const events = await read(new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer()));
    expect(summary(events)).toEqual(['bomb.bin: too-large', 'ok.txt: 4']);
  });

  it('stops at the running total of the archive: the entries past it are skipped, those before open', async () => {
    const entries = Object.fromEntries(['1', '2', '3', '4'].map((n) => [`${n}.bin`, new Uint8Array(0.9 * MiB)]));
    const events = await read(zipSync(entries, { level: 9 }));
    expect(summary(events)).toEqual(['1.bin: 943718', '2.bin: 943718', '3.bin: 943718', '4.bin: too-large']);
    expect(events[3]).toMatchObject({ reason: expect.stringMatching(/zip as a whole expands to more than 3 MiB/) });
  });

  it('skips an entry with damaged data or an unknown compression method and reads on', async () => {
    const zip = zipSync({ 'bad.bin': new Uint8Array(1000), 'odd.bin': new Uint8Array(1000), 'ok.txt': strToU8('fine') }, { level: 9 });
    const [bad, odd] = localHeaders(zip);
    const view = new DataView(zip.buffer);
    zip[bad! + 30 + view.getUint16(bad! + 26, true)] = 0x07; // a deflate block of the reserved type
    view.setUint16(odd! + 8, 12, true); // bzip2
    const events = await read(zip);
    expect(summary(events)).toEqual(['bad.bin: unreadable', 'odd.bin: unreadable', 'ok.txt: 4']);
    expect(events[1]).toMatchObject({ reason: expect.stringMatching(/method 12/) });
  });

  it('hands on the entries read before the zip turns out truncated, then throws', async () => {
    const zip = zipSync({ 'a.txt': strToU8('first'), 'b.bin': crypto.getRandomValues(new Uint8Array(4096)) }); // incompressible
    const out: ZipEvent[] = [];
    await expect(readZipBounded(new Blob([zip.subarray(0, zip.length - 2000) as BlobPart]), (e) => out.push(e))).rejects.toThrow();
    expect(summary(out)).toEqual(['a.txt: 5']);
  });

  it('refuses an entry on its first bytes when the check says so', async () => {
    const zip = zipSync({ 'zeros.bin': new Uint8Array(16 * MiB), 'ok.txt': strToU8('fine') }, { level: 9 });
    const out: ZipEvent[] = [];
    await readZipBounded(new Blob([zip as BlobPart]), (e) => out.push(e), {
      limits: { entryBytes: 64 * MiB, totalBytes: 64 * MiB },
      headBytes: 4,
      check: (head) => (head.every((b) => b === 0) ? { why: 'not-dicom', reason: 'zeros' } : undefined),
    });
    expect(summary(out)).toEqual(['zeros.bin: not-dicom', 'ok.txt: 4']);
  });
});
