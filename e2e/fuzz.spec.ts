// Fuzzing the real loader in the browser: a few hundred seeded mutations of valid frames in several transfer
// syntaxes (byte flips, truncations, zeroed runs, inserted garbage, wrong header fields), all in one series.
// Every frame must end loaded or failed within the time bound (no hung decoder), nothing may be left uncaught,
// and the viewer must still respond.
import fs from 'node:fs';
import { parsePart10 } from '../scripts/import/staticTree';
import type { DicomJson } from '../src/dicom/json';
import { test, expect, entry } from './harness/fixtures';
import { loadManifest } from './harness/run-info';
import { serveStaticTree, writeStaticStudy, type StaticInstance, type StaticTreeServer } from './harness/staticStudy';

const SOURCES = ['explicit-le', 'jpeg-baseline-grey', 'jpeg-baseline-ybr', 'jpeg-lossless-sv1', 'jpeg-ls-lossless', 'j2k-lossless', 'j2k-lossy', 'rle-mono16', 'rle-rgb8'];
const CASES = 300;
const STUDY = '2.25.77120938475610293847561029384756102';
const SERIES = `${STUDY}.1`;

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const setNumber = (ds: DicomJson, tag: string, vr: string, value: number) => void (ds[tag] = { vr, Value: [value] });

let server: StaticTreeServer;
const kinds: string[] = [];

test.beforeAll(async () => {
  const manifest = loadManifest();
  const sources = SOURCES.map((l) => parsePart10(new Uint8Array(fs.readFileSync(entry(manifest, l).uploadedPath))));
  const random = rng(20261122);
  const int = (n: number) => Math.floor(random() * n);
  const instances: StaticInstance[] = [];
  for (let i = 0; i < CASES; i++) {
    const src = sources[i % sources.length]!;
    const md = JSON.parse(JSON.stringify(src.metadata)) as DicomJson;
    let frame = new Uint8Array(src.frames[0]!);
    const kind = ['flip', 'truncate', 'zero', 'insert', 'header', 'flip-head'][int(6)]!;
    if (kind === 'flip' || kind === 'flip-head') {
      // Flips anywhere, or concentrated in the first 64 bytes where codec headers live.
      const span = kind === 'flip-head' ? Math.min(64, frame.length) : frame.length;
      for (let k = 1 + int(20); k > 0; k--) {
        const at = int(span);
        frame[at] = frame[at]! ^ (1 << int(8));
      }
    } else if (kind === 'truncate') {
      frame = frame.slice(0, int(frame.length));
    } else if (kind === 'zero') {
      const at = int(frame.length);
      frame.fill(0, at, at + 1 + int(256));
    } else if (kind === 'insert') {
      const at = int(frame.length);
      const junk = Uint8Array.from({ length: 1 + int(64) }, () => int(256));
      frame = Uint8Array.from([...frame.slice(0, at), ...junk, ...frame.slice(at)]);
    } else {
      const rows = Number(md['00280010']?.Value?.[0] ?? 1);
      const cols = Number(md['00280011']?.Value?.[0] ?? 1);
      const change = int(4);
      if (change === 0) setNumber(md, '00280010', 'US', rows * 2);
      else if (change === 1) setNumber(md, '00280011', 'US', Math.max(1, cols - 1 - int(cols)));
      else if (change === 2) setNumber(md, '00280100', 'US', Number(md['00280100']?.Value?.[0] ?? 16) === 8 ? 16 : 8);
      else setNumber(md, '00280002', 'US', Number(md['00280002']?.Value?.[0] ?? 1) === 1 ? 3 : 1);
    }
    kinds.push(kind);
    Object.assign(md, {
      '00080018': { vr: 'UI', Value: [`${SERIES}.${i + 1}`] },
      '00200013': { vr: 'IS', Value: [i + 1] },
      '00280008': { vr: 'IS', Value: [1] },
    });
    // One stack: drop geometry so the cases are ordered by instance number.
    delete md['00200032'];
    delete md['00200037'];
    instances.push({ metadata: md, frames: [frame], transferSyntaxUID: src.frameTransferSyntaxUID });
  }
  // A short decode limit keeps the run within CI time; a decoder stuck on a case must be stopped, not waited for.
  server = await serveStaticTree(
    'fuzz',
    (dir) => writeStaticStudy(dir, { uid: STUDY, patientName: 'FUZZ^CASES', series: [{ uid: SERIES, description: 'fuzz', modality: 'OT', number: 1, instances }] }),
    { decodeTimeoutSeconds: 5 },
  );
});

test.afterAll(async () => server?.stop());

test(`${CASES} mutated frames: each ends loaded or failed, nothing uncaught, the viewer still responds`, async ({ page, errors }) => {
  test.setTimeout(240_000);
  const recycles: string[] = [];
  page.on('console', (m) => { if (m.text().startsWith('decode worker replaced')) recycles.push(m.text()); });
  errors.ignore(/.*/); // decoders log their complaints; uncaught exceptions are checked below
  await page.goto(`${server.url}/viewer?StudyInstanceUIDs=${STUDY}`);
  const vp = page.getByTestId('viewport').first();
  await expect(vp).toHaveAttribute('data-status', /ready|error/, { timeout: 60_000 });
  const bar = page.getByTestId('series-progress');
  // Time-bounded: every frame is either decoded or reported failed (a hung worker would stop this short).
  await expect
    .poll(async () => Number(await bar.getAttribute('data-done')), { timeout: 180_000, intervals: [1000] })
    .toBe(CASES);
  const loaded = Number(await bar.getAttribute('data-loaded'));
  test.info().annotations.push({ type: 'fuzz', description: `${loaded} of ${CASES} mutated frames decoded, ${CASES - loaded} refused (${[...new Set(kinds)].join(', ')}); ${recycles.length} decode workers replaced` });
  expect(errors.pageErrors.map((e) => e.message)).toEqual([]);
  // Still responsive: scroll through the cases and invert.
  await page.keyboard.press('End');
  await expect(vp).toHaveAttribute('data-image-index', String(CASES - 1));
  await page.keyboard.press('Home');
  await expect(vp).toHaveAttribute('data-image-index', '0');
  await page.keyboard.press('i');
  await expect(vp.getByText('Inverted')).toBeVisible();
  expect(errors.pageErrors.map((e) => e.message)).toEqual([]);
});
