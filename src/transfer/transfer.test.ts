import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DicomWebClient } from '../dicomweb/client';
import { dcmjs } from '../dicom/dcmjs';
import { LocalIndex, localSourceConfig } from '../local/localSource';
import { readEntry } from '../local/readFiles';
import { deidSession, exportZip, instancesOf, RENAMED_UID_WARNING, sendInstances, zipEntryName } from './transfer';

const DATA = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const file = (name: string) => new Uint8Array(fs.readFileSync(path.join(DATA, name)));
const NO_RETRY = { retries: 0, baseDelayMs: 0, maxDelayMs: 0 };

async function localClient(...names: string[]): Promise<{ client: DicomWebClient; index: LocalIndex }> {
  const index = new LocalIndex();
  for (const n of names) await readEntry(n, new Blob([file(n) as BlobPart]), (r) => r.kind === 'instance' && index.add(r.instance));
  return { client: new DicomWebClient(localSourceConfig, index.fetch, 'http://app/', NO_RETRY as never), index };
}

const uidOf = (bytes: Uint8Array, tag: string) =>
  String(dcmjs.data.DicomMessage.readFile(bytes.slice().buffer as ArrayBuffer).dict[tag]?.Value?.[0] ?? '');

describe.skipIf(!fs.existsSync(DATA))('export and send', () => {
  it('zips the instances of a study as they are, named by UIDs', async () => {
    const { client, index } = await localClient('CT_small.dcm');
    const [study] = index.studyUIDs();
    const refs = await instancesOf(client, study!);
    expect(refs).toHaveLength(1);
    const progress: number[] = [];
    const { blob, report } = await exportZip(client, refs, undefined, (r) => progress.push(r.done));
    expect(progress).toEqual([1]);
    expect(report.failed).toEqual({});
    const entries = unzipSync(new Uint8Array(await blob.arrayBuffer()));
    const names = Object.keys(entries);
    expect(names).toEqual([`${study}/${refs[0]!.seriesInstanceUID}/${refs[0]!.sopInstanceUID}.dcm`]);
    expect(entries[names[0]!]).toEqual(file('CT_small.dcm'));
  });

  it('de-identifies into the zip with new UIDs shared across the study', async () => {
    const { client, index } = await localClient('CT_small.dcm');
    const [study] = index.studyUIDs();
    const session = deidSession({ shiftDatesByDays: -10 });
    const { blob, report } = await exportZip(client, await instancesOf(client, study!), session, () => {});
    expect(report.stored).toHaveLength(1);
    const [name, bytes] = Object.entries(unzipSync(new Uint8Array(await blob.arrayBuffer())))[0]!;
    const newStudy = session.uids.lookup(study!)!;
    expect(newStudy).toMatch(/^2\.25\.\d+$/);
    expect(name.startsWith(`${newStudy}/`)).toBe(true);
    expect(uidOf(bytes, '0020000D')).toBe(newStudy);
    const dict = dcmjs.data.DicomMessage.readFile(bytes.slice().buffer as ArrayBuffer).dict;
    expect(dict['00100010']?.Value?.[0]).toMatchObject({ Alphabetic: 'ANONYMOUS' });
    expect(dict['00120062']?.Value).toEqual(['YES']);
  });

  it('sends with STOW-RS in batches, skips what the target holds and reports each instance', async () => {
    const { client, index } = await localClient('CT_small.dcm', 'MR_small.dcm', 'JPEG2000.dcm');
    const refs = (await Promise.all(index.studyUIDs().map((s) => instancesOf(client, s)))).flat();
    const [present, refused, ok] = refs;
    const posted: string[] = [];
    const target = new DicomWebClient(
      { ...localSourceConfig, name: 'pacs', kind: 'dicomweb', qidoRoot: 'http://pacs/dicom-web', wadoRoot: 'http://pacs/dicom-web' },
      async (url, init) => {
        if (!init?.method || init.method === 'GET') {
          const rows = url.includes(present!.studyInstanceUID) ? [{ '00080018': { vr: 'UI', Value: [present!.sopInstanceUID] } }] : [];
          return new Response(JSON.stringify(rows), { status: 200 });
        }
        posted.push(url);
        const body = new Uint8Array(await new Response(init.body as BodyInit).arrayBuffer());
        const text = new TextDecoder('latin1').decode(body);
        const answer: Record<string, unknown> = {};
        if (text.includes(refused!.sopInstanceUID)) {
          answer['00081198'] = { vr: 'SQ', Value: [{ '00081155': { vr: 'UI', Value: [refused!.sopInstanceUID] }, '00081197': { vr: 'US', Value: [0xa700] } }] };
          return new Response(JSON.stringify(answer), { status: 409, statusText: 'Conflict' });
        }
        answer['00081199'] = { vr: 'SQ', Value: [{ '00081155': { vr: 'UI', Value: [ok!.sopInstanceUID] } }] };
        return new Response(JSON.stringify(answer), { status: 200 });
      },
      'http://app/',
      NO_RETRY as never,
    );
    const report = await sendInstances(client, target, refs, undefined, () => {});
    expect(report.present).toEqual([present!.sopInstanceUID]);
    expect(report.stored).toEqual([ok!.sopInstanceUID]);
    expect(Object.keys(report.failed)).toEqual([refused!.sopInstanceUID]);
    expect(report.failed[refused!.sopInstanceUID]).toMatch(/0xA700/);
    expect(report.done).toBe(3);
    expect(posted.every((u) => u.startsWith('http://pacs/dicom-web/studies/'))).toBe(true);
  });
});

describe('export zip names from untrusted UIDs', () => {
  const part10 = (n: number) => {
    const b = new Uint8Array(200);
    b.set([0x44, 0x49, 0x43, 0x4d], 128);
    b[199] = n;
    return b;
  };

  it('keeps valid UIDs as names and gives anything else a stable stand-in', () => {
    expect(zipEntryName({ studyInstanceUID: '1.2', seriesInstanceUID: '3.4', sopInstanceUID: '5.6' })).toEqual({ name: '1.2/3.4/5.6.dcm', renamed: false });
    for (const bad of ['..', '1.2/../../etc', '1.2\\x', 'a\0b', '', '1.2.abc', '9'.repeat(65)]) {
      const { name, renamed } = zipEntryName({ studyInstanceUID: '1.2', seriesInstanceUID: bad, sopInstanceUID: '5.6' });
      expect(renamed).toBe(true);
      expect(name).toMatch(/^1\.2\/invalid-uid-[0-9a-f]{8}\/5\.6\.dcm$/);
    }
    const a = zipEntryName({ studyInstanceUID: '1.2', seriesInstanceUID: 'x/y', sopInstanceUID: '5.6' }).name;
    expect(zipEntryName({ studyInstanceUID: '1.2', seriesInstanceUID: 'x/y', sopInstanceUID: '7.8' }).name.split('/')[1]).toBe(a.split('/')[1]);
  });

  it('exports instances with invalid UIDs under safe names, with a warning, and the others as they are', async () => {
    const refs = [
      { studyInstanceUID: '1.2', seriesInstanceUID: '3.4', sopInstanceUID: '5.6' },
      { studyInstanceUID: '1.2', seriesInstanceUID: '../../evil', sopInstanceUID: 'x\u0001y' },
      { studyInstanceUID: '1.2', seriesInstanceUID: '3.4', sopInstanceUID: '5.7' },
    ];
    const served = new Map(refs.map((r, i) => [r.sopInstanceUID, part10(i)]));
    const client = { retrieveInstance: async (_s: string, _r: string, sop: string) => served.get(sop)! } as unknown as DicomWebClient;
    const { blob, report } = await exportZip(client, refs, undefined, () => {});
    expect(report.failed).toEqual({});
    expect(report.stored).toHaveLength(3);
    expect(report.warnings).toEqual([RENAMED_UID_WARNING]);
    const names = Object.keys(unzipSync(new Uint8Array(await blob.arrayBuffer())));
    expect(names).toHaveLength(3);
    expect(names[0]).toBe('1.2/3.4/5.6.dcm');
    expect(names[1]).toMatch(/^1\.2\/invalid-uid-[0-9a-f]{8}\/invalid-uid-[0-9a-f]{8}\.dcm$/);
    expect(names[2]).toBe('1.2/3.4/5.7.dcm');
  });
});
