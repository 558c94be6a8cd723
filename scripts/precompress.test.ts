import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { accepts, encodedVariant, precompressDir } from './precompress.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumen-precompress-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('precompressed assets', () => {
  it('writes brotli and gzip copies of text assets that decompress to the original, and leaves the rest', () => {
    const js = 'export const a = 1;\n'.repeat(500);
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'assets/app.js'), js);
    fs.writeFileSync(path.join(dir, 'tiny.js'), 'x');
    fs.writeFileSync(path.join(dir, 'image.png'), Buffer.alloc(4096));
    precompressDir(dir);
    expect(zlib.brotliDecompressSync(fs.readFileSync(path.join(dir, 'assets/app.js.br'))).toString()).toBe(js);
    expect(zlib.gunzipSync(fs.readFileSync(path.join(dir, 'assets/app.js.gz'))).toString()).toBe(js);
    expect(fs.statSync(path.join(dir, 'assets/app.js.br')).size).toBeLessThan(js.length / 10);
    expect(fs.existsSync(path.join(dir, 'tiny.js.br'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'image.png.br'))).toBe(false);
  });

  it('sends brotli where accepted, else gzip, else the file; q=0 refuses', () => {
    const file = path.join(dir, 'assets/app.js');
    expect(encodedVariant(file, 'gzip, deflate, br, zstd')).toEqual({ path: `${file}.br`, encoding: 'br' });
    expect(encodedVariant(file, 'gzip, deflate')).toEqual({ path: `${file}.gz`, encoding: 'gzip' });
    expect(encodedVariant(file, 'br;q=0, gzip;q=0.5')).toEqual({ path: `${file}.gz`, encoding: 'gzip' });
    expect(encodedVariant(file, undefined)).toEqual({ path: file, encoding: undefined });
    expect(encodedVariant(path.join(dir, 'tiny.js'), 'br')).toEqual({ path: path.join(dir, 'tiny.js'), encoding: undefined });
    expect(accepts('BR', 'br')).toBe(true);
    expect(accepts('identity', 'br')).toBe(false);
  });
});
