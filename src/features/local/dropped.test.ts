import { describe, expect, it } from 'vitest';
import { filesUnder } from './dropped';

type Fake = FileSystemEntry;

function file(fullPath: string, fail?: string): Fake {
  return {
    isFile: true,
    isDirectory: false,
    fullPath,
    name: fullPath.split('/').pop()!,
    file: (ok: (f: File) => void, ko: (e: unknown) => void) =>
      setTimeout(() => (fail ? ko(new DOMException(fail, 'NotFoundError')) : ok(new File([fullPath], fullPath.split('/').pop()!)))),
  } as unknown as Fake;
}

/** A folder whose reader answers these batches, then fails with `fail` if given (else answers none). */
function folder(fullPath: string, batches: Fake[][], fail?: string): Fake {
  return {
    isFile: false,
    isDirectory: true,
    fullPath,
    name: fullPath.split('/').pop()!,
    createReader: () => {
      const left = [...batches];
      return {
        readEntries: (ok: (b: Fake[]) => void, ko: (e: unknown) => void) =>
          setTimeout(() => {
            const next = left.shift();
            if (next) ok(next);
            else if (fail) ko(new DOMException(fail, 'NotReadableError'));
            else ok([]);
          }),
      };
    },
  } as unknown as Fake;
}

describe('walking a drop', () => {
  it('lists every file under the dropped folders, in batches, with paths inside the drop', async () => {
    const tree = folder('/CD', [[file('/CD/DICOMDIR'), folder('/CD/IMG', [[file('/CD/IMG/1')], [file('/CD/IMG/2')]])], [file('/CD/README')]]);
    const { items, unreadable } = await filesUnder([tree, file('/loose.dcm')]);
    expect(items.map((i) => i.path)).toEqual(['CD/DICOMDIR', 'CD/IMG/1', 'CD/IMG/2', 'CD/README', 'loose.dcm']);
    expect(await items[2]!.blob.text()).toBe('/CD/IMG/2');
    expect(unreadable).toEqual([]);
  });

  it('reports a file or a folder the browser cannot read and keeps everything else', async () => {
    const tree = folder('/CD', [
      [file('/CD/1'), file('/CD/gone', 'A requested file or directory could not be found')],
      [folder('/CD/locked', [[file('/CD/locked/a')]], 'The folder could not be read'), file('/CD/2')],
    ]);
    const { items, unreadable } = await filesUnder([tree]);
    expect(items.map((i) => i.path)).toEqual(['CD/1', 'CD/locked/a', 'CD/2']);
    expect(unreadable).toEqual([
      { path: 'CD/gone', why: 'unreadable', reason: 'the browser could not read it (NotFoundError: A requested file or directory could not be found)' },
      { path: 'CD/locked/', why: 'unreadable', reason: 'the browser could not list this folder in full (NotReadableError: The folder could not be read)' },
    ]);
  });
});
