// Prepares the data the e2e tests load into Orthanc, once, into .cache/e2e-data/:
//   upload/     files POSTed to Orthanc (demo output, a transfer-syntax matrix, a corrupt frame)
//   reference/  each matrix entry decoded to explicit VR little endian by DCMTK/GDCM (never uploaded)
//   manifest.json  what is where (types: e2e/harness/manifest.ts), stamp.json  inputs hash
//
//   npx tsx scripts/prepare-e2e-data.mjs [--force] [--ct-slices N] [--no-demo]
//
// Needs dcmtk, libgdcm-tools and python3-pydicom (its test files) from Debian. Runs under tsx so that it can
// import the TypeScript demo generator (scripts/demo/). --no-demo skips the generator (harness development
// only: the suite expects the demo data). E2E_CT_SLICES sets --ct-slices (default 200); E2E_DEMO_MODULE
// points at another module exporting generateDemoDicom (harness development).
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { SOP_CLASS_KINDS, VIDEO_TRANSFER_SYNTAXES } from '../src/dicom/objectClasses.generated.ts';
import { writeDocumentTestObjects } from './demo/objects/documentTests.ts';

/** Loaded only when there is work to do (keeps the up-to-date check fast). */
let dcmjs;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, '.cache', 'e2e-data');
const DEMO_CANDIDATES = ['scripts/demo/generate.ts', 'scripts/demo/index.ts', 'scripts/demo/dicom.ts'];

const TS = {
  implicit: '1.2.840.10008.1.2',
  explicit: '1.2.840.10008.1.2.1',
  deflate: '1.2.840.10008.1.2.1.99',
  bigEndian: '1.2.840.10008.1.2.2',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegExtended: '1.2.840.10008.1.2.4.51',
  jpegLossless: '1.2.840.10008.1.2.4.57',
  jpegLosslessSV1: '1.2.840.10008.1.2.4.70',
  jpegLs: '1.2.840.10008.1.2.4.80',
  jpegLsNear: '1.2.840.10008.1.2.4.81',
  j2kLossless: '1.2.840.10008.1.2.4.90',
  j2k: '1.2.840.10008.1.2.4.91',
  rle: '1.2.840.10008.1.2.5',
};
const LOSSY = new Set([TS.jpegBaseline, TS.jpegExtended, TS.jpegLsNear, TS.j2k]);

// ---------------------------------------------------------------------------------------------------------
// The transfer-syntax matrix. `src` is a pydicom test file; `steps` transcode it (each gets input, output).
// Every entry gets new Study/Series/SOP Instance UIDs and PatientName TS^<label>: its own findable study.
const MATRIX = [
  { label: 'implicit-le', src: 'MR_small_implicit.dcm', ts: TS.implicit, description: 'Implicit VR Little Endian, MR 16-bit signed' },
  { label: 'explicit-le', src: 'MR_small.dcm', ts: TS.explicit, description: 'Explicit VR Little Endian, MR 16-bit signed' },
  { label: 'explicit-be', src: 'MR_small_bigendian.dcm', ts: TS.bigEndian, description: 'Explicit VR Big Endian (retired), MR 16-bit signed' },
  { label: 'deflate', src: 'image_dfl.dcm', ts: TS.deflate, description: 'Deflated Explicit VR Little Endian, 8-bit grey 512x512' },
  {
    label: 'jpeg-baseline-grey',
    src: 'image_dfl.dcm',
    steps: [(i, o) => ['dcmconv', '+te', i, o], (i, o) => ['dcmcjpeg', '+eb', i, o]],
    ts: TS.jpegBaseline,
    description: 'JPEG Baseline (process 1), 8-bit grey (dcmcjpeg +eb)',
  },
  { label: 'jpeg-baseline-ybr', src: 'SC_rgb_jpeg_dcmtk.dcm', ts: TS.jpegBaseline, description: 'JPEG Baseline, colour, YBR_FULL' },
  {
    label: 'jpeg-baseline-ybr422',
    src: 'SC_rgb_dcmtk_+eb+cy+s2.dcm',
    ts: TS.jpegBaseline,
    description: 'JPEG Baseline, colour, YBR_FULL_422 (4:2:2 subsampled)',
  },
  {
    label: 'jpeg-baseline-rgb',
    src: 'SC_rgb_dcmtk_+eb+cr.dcm',
    ts: TS.jpegBaseline,
    description: 'JPEG Baseline, colour compressed as RGB (no colour transform)',
  },
  { label: 'jpeg-extended-12', src: 'JPGExtended.dcm', ts: TS.jpegExtended, description: 'JPEG Extended (process 2+4), 12-bit NM' },
  {
    label: 'jpeg-lossless-sv1',
    src: 'CT_small.dcm',
    steps: [(i, o) => ['dcmcjpeg', '+e1', i, o]],
    ts: TS.jpegLosslessSV1,
    description: 'JPEG Lossless SV1 (process 14), CT 16-bit signed (dcmcjpeg +e1)',
  },
  { label: 'jpeg-lossless-rgb', src: 'SC_rgb_jpeg_gdcm.dcm', ts: TS.jpegLosslessSV1, description: 'JPEG Lossless SV1, 8-bit RGB' },
  { label: 'jpeg-ls-lossless', src: 'MR_small_jpeg_ls_lossless.dcm', ts: TS.jpegLs, description: 'JPEG-LS lossless, MR 16-bit signed' },
  {
    label: 'jpeg-ls-near',
    src: 'JPGExtended.dcm',
    steps: [(i, o) => ['dcmdjpeg', i, o], (i, o) => ['dcmcjpls', '+en', '+md', '2', i, o]],
    ts: TS.jpegLsNear,
    description: 'JPEG-LS near-lossless (NEAR=2), NM 12-bit unsigned (dcmcjpls +en)',
  },
  { label: 'j2k-lossless', src: 'MR_small_jp2klossless.dcm', ts: TS.j2kLossless, description: 'JPEG 2000 lossless, MR 16-bit signed' },
  { label: 'j2k-lossy', src: 'JPEG2000.dcm', ts: TS.j2k, description: 'JPEG 2000 (lossy), NM 16-bit' },
  { label: 'rle-rgb8', src: 'SC_rgb_rle.dcm', ts: TS.rle, description: 'RLE Lossless, 8-bit RGB' },
  { label: 'rle-mono16', src: 'MR_small_RLE.dcm', ts: TS.rle, description: 'RLE Lossless, MR 16-bit signed' },
  { label: 'rle-rgb8-2frame', src: 'SC_rgb_rle_2frame.dcm', ts: TS.rle, description: 'RLE Lossless, 8-bit RGB, 2 frames' },
  {
    label: 'ybr422-native',
    src: 'SC_ybr_full_422_uncompressed.dcm',
    ts: TS.explicit,
    description: 'Uncompressed YBR_FULL_422, Explicit VR Little Endian',
  },
  { label: 'ct-hu', src: 'CT_small.dcm', ts: TS.explicit, description: 'CT with rescale slope/intercept (HU probe), Explicit VR LE' },
];

// ---------------------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const opts = { force: false, noDemo: false, ctSlices: Number(process.env.E2E_CT_SLICES || 200) };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--force') opts.force = true;
    else if (a === '--no-demo') opts.noDemo = true;
    else if (a === '--ct-slices') opts.ctSlices = Number(argv[++i]);
    else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(opts.ctSlices) || opts.ctSlices < 2) throw new Error('--ct-slices wants an integer >= 2');
  return opts;
}

function run(cmd, args, opts = {}) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...opts });
  } catch (e) {
    if (e.code === 'ENOENT') throw new Error(`${cmd} not found: apt-get install -y dcmtk libgdcm-tools (see .ci/run)`);
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${e.stderr || e.stdout || e.message}`);
  }
}

function pydicomDir() {
  const candidates = [process.env.E2E_PYDICOM_TEST_FILES, '/usr/lib/python3/dist-packages/pydicom/data/test_files'];
  for (const c of candidates) if (c && fs.existsSync(path.join(c, 'CT_small.dcm'))) return c;
  try {
    const d = run('/usr/bin/python3', ['-c', 'import os, pydicom.data; print(os.path.dirname(pydicom.data.__file__))']).trim();
    if (fs.existsSync(path.join(d, 'test_files', 'CT_small.dcm'))) return path.join(d, 'test_files');
  } catch {
    // fall through
  }
  throw new Error('pydicom test files not found: apt-get install -y python3-pydicom (or set E2E_PYDICOM_TEST_FILES)');
}

function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out.sort();
}

/** A DICOM Part 10 file: "DICM" at offset 128. */
function isPart10(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(4);
    return fs.readSync(fd, b, 0, 4, 128) === 4 && b.toString('latin1') === 'DICM';
  } finally {
    fs.closeSync(fd);
  }
}

function findDemoModule() {
  if (process.env.E2E_DEMO_MODULE) return path.resolve(process.env.E2E_DEMO_MODULE);
  for (const rel of DEMO_CANDIDATES) {
    const p = path.join(ROOT, rel);
    if (fs.existsSync(p)) return p;
  }
  return null;
}

function stampOf(opts, pyDir) {
  const h = crypto.createHash('sha256');
  h.update(fs.readFileSync(fileURLToPath(import.meta.url)));
  h.update(JSON.stringify({ ctSlices: opts.ctSlices, noDemo: opts.noDemo }));
  if (!opts.noDemo) {
    const mod = findDemoModule();
    for (const f of listFiles(mod ? path.dirname(mod) : path.join(ROOT, 'scripts', 'demo'))) {
      if (/\.test\.[mc]?[jt]s$/.test(f)) continue;
      h.update(path.relative(ROOT, f));
      h.update(fs.readFileSync(f));
    }
  }
  for (const src of ['waveform_ecg.dcm']) h.update(`${src}:${fs.statSync(path.join(pyDir, src)).size}`);
  for (const m of MATRIX) {
    const st = fs.statSync(path.join(pyDir, m.src));
    h.update(`${m.src}:${st.size}`);
  }
  return h.digest('hex');
}

// ----- header reading -----------------------------------------------------------------------------------

const HEADER_TAGS = {
  '0002,0010': 'transferSyntaxUID',
  '0008,0016': 'sopClassUID',
  '0008,0018': 'sopInstanceUID',
  '0008,0060': 'modality',
  '0008,1030': 'studyDescription',
  '0008,103e': 'seriesDescription',
  '0010,0010': 'patientName',
  '0010,0020': 'patientId',
  '0020,000d': 'studyInstanceUID',
  '0020,000e': 'seriesInstanceUID',
  '0020,0013': 'instanceNumber',
  '0020,0032': 'imagePositionPatient',
  '0028,0002': 'samplesPerPixel',
  '0028,0004': 'photometric',
  '0028,0008': 'frames',
  '0028,0010': 'rows',
  '0028,0011': 'columns',
  '0028,0100': 'bitsAllocated',
  '0028,0101': 'bitsStored',
  '0028,0103': 'pixelRepresentation',
  '0028,1052': 'rescaleIntercept',
  '0028,1053': 'rescaleSlope',
};
const NUMERIC = new Set(['samplesPerPixel', 'frames', 'rows', 'columns', 'bitsAllocated', 'bitsStored', 'pixelRepresentation', 'instanceNumber', 'rescaleIntercept', 'rescaleSlope']);

/**
 * Top-level header attributes of many files with one dcmdump call (dcmdump reads every transfer syntax,
 * deflate and big endian included). Returns Map(file → attrs).
 */
function readHeaders(files) {
  const result = new Map();
  const chunk = 200;
  for (let i = 0; i < files.length; i += chunk) {
    const part = files.slice(i, i + chunk);
    // +p: nested occurrences are printed with their sequence path, so they never match the top-level pattern below
    // (a SEG's or a report's Referenced Series Sequence holds another series' SeriesInstanceUID before its own).
    const args = ['-q', '+F', '-Un', '+L', '-M', '+p'];
    for (const t of Object.keys(HEADER_TAGS)) args.push('+P', t);
    const text = run('dcmdump', [...args, ...part]);
    let current = null;
    let fileIndex = -1;
    for (const line of text.split('\n')) {
      if (line.startsWith('# dcmdump')) {
        fileIndex++;
        current = {};
        result.set(part[fileIndex], current);
        continue;
      }
      const m = /^\(([0-9a-f]{4},[0-9a-f]{4})\) (\w\w) (.*?)\s*#/i.exec(line);
      if (!m || !current) continue;
      const key = HEADER_TAGS[m[1].toLowerCase()];
      if (!key || key in current) continue; // first occurrence wins
      let v = m[3];
      if (v.startsWith('[')) v = v.slice(1, v.lastIndexOf(']'));
      else if (v.startsWith('(no value')) v = '';
      if (key === 'imagePositionPatient') current[key] = v ? v.split('\\').map(Number) : null;
      else if (NUMERIC.has(key)) current[key] = v === '' ? null : Number(v.split('\\')[0]);
      else current[key] = v;
    }
  }
  for (const f of files) if (!result.has(f)) throw new Error(`dcmdump printed nothing for ${f}`);
  return result;
}

// ----- pixel reading from an uncompressed reference -----------------------------------------------------

function loadReference(file) {
  const buf = fs.readFileSync(file);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const dict = dcmjs.data.DicomMessage.readFile(ab);
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict);
  const ts = dict.meta['00020010']?.Value?.[0];
  if (ts !== TS.explicit) throw new Error(`${file}: reference must be explicit VR little endian, is ${ts}`);
  const pd = ds.PixelData;
  const parts = Array.isArray(pd) ? pd : [pd];
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const bytes = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    bytes.set(new Uint8Array(p), off);
    off += p.byteLength;
  }
  return { ds, bytes };
}

function num(v, dflt) {
  const x = Array.isArray(v) ? v[0] : v;
  const n = x === undefined || x === null || x === '' ? NaN : Number(x);
  return Number.isFinite(n) ? n : dflt;
}

function clamp8(v) {
  return Math.max(0, Math.min(255, Math.round(v)));
}

function ybrToRgb(y, cb, cr) {
  return [clamp8(y + 1.402 * (cr - 128)), clamp8(y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128)), clamp8(y + 1.772 * (cb - 128))];
}

function paletteLookup(ds, index) {
  const out = [];
  for (const c of ['Red', 'Green', 'Blue']) {
    const desc = ds[`${c}PaletteColorLookupTableDescriptor`];
    const data = ds[`${c}PaletteColorLookupTableData`];
    if (!desc || !data) return undefined;
    const count = desc[0] === 0 ? 65536 : desc[0];
    const first = desc[1];
    const bits = desc[2];
    const raw = Array.isArray(data) ? data[0] : data;
    if (!(raw instanceof ArrayBuffer)) return undefined;
    const i = Math.max(0, Math.min(count - 1, index - first));
    if (bits === 16 && raw.byteLength >= count * 2) out.push(new DataView(raw).getUint16(i * 2, true) >> 8);
    else if (bits === 8 && raw.byteLength === count) out.push(new Uint8Array(raw)[i]);
    else if (bits === 8 && raw.byteLength >= count * 2) out.push(new DataView(raw).getUint16(i * 2, true) & 0xff);
    else return undefined;
  }
  return out;
}

/** Reads one pixel (all samples) of a native explicit-LE image. */
function readPixel(ref, x, y, frame) {
  const { ds, bytes } = ref;
  const rows = num(ds.Rows);
  const cols = num(ds.Columns);
  const spp = num(ds.SamplesPerPixel, 1);
  const bitsAllocated = num(ds.BitsAllocated);
  const signed = num(ds.PixelRepresentation, 0) === 1;
  const planar = num(ds.PlanarConfiguration, 0);
  const pi = String(ds.PhotometricInterpretation);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bpp = bitsAllocated / 8;
  let stored;
  if (pi === 'YBR_FULL_422') {
    // Two pixels share Cb/Cr: Y1 Y2 Cb Cr.
    const frameBytes = rows * cols * 2;
    const base = frame * frameBytes + ((y * cols + x - (x % 2)) / 2) * 4;
    stored = [bytes[base + (x % 2)], bytes[base + 2], bytes[base + 3]];
  } else {
    const frameBytes = rows * cols * spp * bpp;
    stored = [];
    for (let s = 0; s < spp; s++) {
      const idx = planar === 1 ? s * rows * cols + y * cols + x : (y * cols + x) * spp + s;
      const at = frame * frameBytes + idx * bpp;
      if (bpp === 1) stored.push(signed ? view.getInt8(at) : view.getUint8(at));
      else if (bpp === 2) stored.push(signed ? view.getInt16(at, true) : view.getUint16(at, true));
      else if (bpp === 4) stored.push(signed ? view.getInt32(at, true) : view.getUint32(at, true));
      else throw new Error(`BitsAllocated ${bitsAllocated} not supported`);
    }
  }
  const probe = { x, y, frame, stored };
  if (spp === 1 && pi !== 'PALETTE COLOR') {
    probe.modality = stored[0] * num(ds.RescaleSlope, 1) + num(ds.RescaleIntercept, 0);
  } else if (pi === 'RGB') {
    probe.rgb = bitsAllocated === 8 ? stored : stored.map((v) => v >> (num(ds.BitsStored, 16) - 8));
  } else if (pi.startsWith('YBR_FULL') && bitsAllocated === 8) {
    probe.rgb = ybrToRgb(stored[0], stored[1], stored[2]);
  } else if (pi === 'PALETTE COLOR') {
    const rgb = paletteLookup(ds, stored[0]);
    if (rgb) probe.rgb = rgb;
  }
  return probe;
}

function probePoints(rows, cols) {
  const pts = [
    [Math.floor(cols / 2), Math.floor(rows / 2)],
    [Math.floor(cols / 4), Math.floor(rows / 4)],
    [Math.floor((3 * cols) / 4), Math.floor(rows / 3)],
    [Math.floor(cols / 3), Math.floor((3 * rows) / 4)],
    [0, 0],
  ];
  return pts;
}

function probesFor(refFile) {
  const ref = loadReference(refFile);
  const rows = num(ref.ds.Rows);
  const cols = num(ref.ds.Columns);
  const frames = num(ref.ds.NumberOfFrames, 1);
  const probes = [];
  const frameList = frames > 1 ? [0, frames - 1] : [0];
  for (const f of frameList) for (const [x, y] of probePoints(rows, cols)) probes.push(readPixel(ref, x, y, f));
  return { probes, photometric: String(ref.ds.PhotometricInterpretation) };
}

// ----- transcoding --------------------------------------------------------------------------------------

function makeReference(input, output, ts) {
  if ([TS.implicit, TS.explicit, TS.bigEndian, TS.deflate].includes(ts)) run('dcmconv', ['+te', input, output]);
  else if ([TS.jpegBaseline, TS.jpegExtended, TS.jpegLossless, TS.jpegLosslessSV1].includes(ts)) run('dcmdjpeg', [input, output]);
  else if ([TS.jpegLs, TS.jpegLsNear].includes(ts)) run('dcmdjpls', [input, output]);
  else if (ts === TS.rle) run('dcmdrle', [input, output]);
  else if ([TS.j2kLossless, TS.j2k].includes(ts)) {
    const tmp = `${output}.gdcm.dcm`;
    run('gdcmconv', ['--raw', input, tmp]);
    run('dcmconv', ['+te', tmp, output]);
    fs.rmSync(tmp);
  } else throw new Error(`no decoder for transfer syntax ${ts} (${input})`);
  const got = readHeaders([output]).get(output).transferSyntaxUID;
  if (got !== TS.explicit) throw new Error(`reference ${output} has transfer syntax ${got}, expected ${TS.explicit}`);
}

function newUids(file, { study = true, series = true } = {}) {
  const args = ['-nb', '-q'];
  if (study) args.push('-gst');
  if (series) args.push('-gse');
  args.push('-gin', file);
  run('dcmodify', args);
}

function setAttrs(file, attrs) {
  const args = ['-nb', '-q'];
  for (const [tag, value] of Object.entries(attrs)) args.push('-i', `(${tag})=${value}`);
  run('dcmodify', [...args, file]);
}

/** Replaces the scan data of the (single) JPEG/JPEG-LS codestream in `file` with 0xFF bytes, same length. */
function corruptCodestream(file) {
  const buf = fs.readFileSync(file);
  const pixelTag = buf.lastIndexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00]));
  if (pixelTag < 0) throw new Error(`${file}: no Pixel Data`);
  const soi = buf.indexOf(Buffer.from([0xff, 0xd8, 0xff]), pixelTag);
  const eoi = buf.lastIndexOf(Buffer.from([0xff, 0xd9]));
  if (soi < 0 || eoi < soi) throw new Error(`${file}: no JPEG codestream found`);
  let p = soi + 2;
  let scanStart = -1;
  while (p + 4 <= eoi) {
    if (buf[p] !== 0xff) throw new Error(`${file}: unexpected byte in JPEG header at ${p}`);
    const marker = buf[p + 1];
    const len = buf.readUInt16BE(p + 2);
    if (marker === 0xda) {
      scanStart = p + 2 + len;
      break;
    }
    p += 2 + len;
  }
  if (scanStart < 0) throw new Error(`${file}: no SOS marker`);
  buf.fill(0xff, scanStart, eoi);
  fs.writeFileSync(file, buf);
  return { headerBytes: scanStart - soi, garbageBytes: eoi - scanStart };
}

// ----- building ---------------------------------------------------------------------------------------

/**
 * The patient of the ISO_IR 127 study (Arabic in ISO 8859-6): fictitious, and another name than the demo's UTF-8
 * one (DEMO^0004), so a test can tell the two apart. dcmdump prints the raw bytes, so the manifest takes these.
 */
const ARABIC_127 = {
  patientName: 'الشامي^يوسف',
  patientId: 'AR-ISO-IR-127',
  studyDescription: 'أشعة مقطعية للصدر',
  seriesDescription: 'مقاطع محورية بترميز ISO 8859-6',
};

/**
 * A study named in Arabic in ISO 8859-6 (ISO_IR 127): the demo's Arabic study (UTF-8, ISO_IR 192) copied under new
 * UIDs, renamed, and converted by DCMTK (dcmconv +C), so the bytes are what an older modality sends. Orthanc turns
 * them into UTF-8 in its DICOMweb JSON; the tag browser and local files decode them themselves.
 */
function buildArabic127(work, demoFiles, log) {
  const headers = readHeaders(demoFiles);
  const source = demoFiles.filter((f) => headers.get(f).patientId === 'DEMO-0004').sort();
  if (!source.length) throw new Error('the demo has no Arabic study (PatientID DEMO-0004) to copy');
  const dir = path.join(work, 'upload', 'charset');
  fs.mkdirSync(dir, { recursive: true });
  const utf8 = path.join(work, 'tmp', 'arabic-utf8.dcm');
  fs.mkdirSync(path.dirname(utf8), { recursive: true });
  fs.copyFileSync(source[0], utf8);
  newUids(utf8);
  setAttrs(utf8, {
    '0010,0010': ARABIC_127.patientName,
    '0010,0020': ARABIC_127.patientId,
    '0008,1030': ARABIC_127.studyDescription,
    '0008,103E': ARABIC_127.seriesDescription,
  });
  const out = path.join(dir, 'arabic-iso-ir-127.dcm');
  run('dcmconv', ['+C', 'ISO_IR 127', utf8, out]);
  const h = readHeaders([out]);
  // The name's bytes are ISO 8859-6 now, not UTF-8: the file is what the test set needs.
  const raw = fs.readFileSync(out);
  if (!raw.includes(Buffer.from('ISO_IR 127')) || raw.includes(Buffer.from(ARABIC_127.patientName.split('^')[0], 'utf8'))) {
    throw new Error(`${out}: dcmconv did not convert the names to ISO 8859-6`);
  }
  const { probes, photometric } = probesFor(out);
  log('  ISO_IR 127 (Arabic) study');
  return {
    ...entryFromFiles({
      label: 'arabic-iso-ir-127',
      group: 'charset',
      description: 'Arabic patient, study and series names in ISO 8859-6 (ISO_IR 127)',
      source: 'the demo’s Arabic study, converted by dcmconv +C "ISO_IR 127"',
      files: [out],
      refFile: out,
      headers: h,
      lossy: false,
      expectDecodeError: false,
      probes,
      refPhotometric: photometric,
    }),
    ...ARABIC_127,
  };
}

function rel(p) {
  return p ? path.relative(ROOT, p) : null;
}

function entryFromFiles({ label, group, description, source, files, refFile, headers, lossy, expectDecodeError, probes, refPhotometric }) {
  const ordered = [...files].sort((a, b) => (headers.get(a).instanceNumber ?? 0) - (headers.get(b).instanceNumber ?? 0));
  const h = headers.get(ordered[0]);
  return {
    label,
    group,
    description,
    transferSyntaxUID: h.transferSyntaxUID,
    uploadedPath: rel(ordered[0]),
    referencePath: refFile ? rel(refFile) : null,
    source,
    studyInstanceUID: h.studyInstanceUID,
    seriesInstanceUID: h.seriesInstanceUID,
    sopInstanceUID: h.sopInstanceUID,
    sopClassUID: h.sopClassUID,
    modality: h.modality ?? '',
    patientName: h.patientName ?? '',
    patientId: h.patientId ?? '',
    studyDescription: h.studyDescription ?? '',
    seriesDescription: h.seriesDescription ?? '',
    rows: h.rows,
    columns: h.columns,
    frames: h.frames ?? 1,
    photometric: h.photometric,
    referencePhotometric: refPhotometric ?? null,
    samplesPerPixel: h.samplesPerPixel ?? 1,
    bitsAllocated: h.bitsAllocated,
    bitsStored: h.bitsStored,
    pixelRepresentation: h.pixelRepresentation ?? 0,
    rescaleSlope: h.rescaleSlope ?? 1,
    rescaleIntercept: h.rescaleIntercept ?? 0,
    lossy,
    expectDecodeError,
    instanceCount: ordered.length,
    instances: ordered.map((f) => ({
      sopInstanceUID: headers.get(f).sopInstanceUID,
      instanceNumber: headers.get(f).instanceNumber ?? null,
      frames: headers.get(f).frames ?? 1,
      uploadedPath: rel(f),
    })),
    probes: probes ?? [],
  };
}

function buildMatrix(work, pyDir, log) {
  const up = path.join(work, 'upload', 'ts');
  const refDir = path.join(work, 'reference');
  fs.mkdirSync(up, { recursive: true });
  fs.mkdirSync(refDir, { recursive: true });
  const entries = [];
  for (const m of MATRIX) {
    const t0 = Date.now();
    const out = path.join(up, `${m.label}.dcm`);
    let cur = path.join(pyDir, m.src);
    (m.steps ?? []).forEach((step, i) => {
      const next = path.join(work, 'tmp', `${m.label}.${i}.dcm`);
      fs.mkdirSync(path.dirname(next), { recursive: true });
      const [cmd, ...args] = step(cur, next);
      run(cmd, args);
      cur = next;
    });
    fs.copyFileSync(cur, out);
    newUids(out);
    setAttrs(out, {
      '0010,0010': `TS^${m.label}`,
      '0010,0020': `TS-${m.label}`,
      '0008,1030': `Transfer syntax ${m.label}`,
      '0008,103E': m.description.slice(0, 64),
    });
    const h = readHeaders([out]);
    const got = h.get(out).transferSyntaxUID;
    if (got !== m.ts) throw new Error(`${m.label}: ${out} has transfer syntax ${got}, expected ${m.ts}`);
    const refFile = path.join(refDir, `${m.label}.dcm`);
    makeReference(out, refFile, m.ts);
    const { probes, photometric } = probesFor(refFile);
    entries.push(
      entryFromFiles({
        label: m.label,
        group: 'transfer-syntax',
        description: m.description,
        source: `pydicom:${m.src}${m.steps ? ' (transcoded)' : ''}`,
        files: [out],
        refFile,
        headers: h,
        lossy: LOSSY.has(m.ts),
        expectDecodeError: false,
        probes,
        refPhotometric: photometric,
      }),
    );
    log(`  ${m.label.padEnd(22)} ${m.ts.padEnd(24)} ${Date.now() - t0} ms`);
  }
  return entries;
}

function buildCorrupt(work, pyDir) {
  const dir = path.join(work, 'upload', 'corrupt');
  fs.mkdirSync(dir, { recursive: true });
  const good = path.join(dir, 'good.dcm');
  const bad = path.join(dir, 'bad.dcm');
  fs.copyFileSync(path.join(pyDir, 'MR_small_jpeg_ls_lossless.dcm'), good);
  newUids(good);
  setAttrs(good, {
    '0010,0010': 'CORRUPT^JPEG-LS',
    '0010,0020': 'CORRUPT-1',
    '0008,1030': 'One valid series, one undecodable series',
    '0008,103E': 'Valid JPEG-LS',
    '0020,0011': '1',
  });
  fs.copyFileSync(good, bad);
  newUids(bad, { study: false });
  setAttrs(bad, { '0008,103E': 'Corrupt JPEG-LS frame', '0020,0011': '2' });
  const info = corruptCodestream(bad);
  const refDir = path.join(work, 'reference');
  const goodRef = path.join(refDir, 'corrupt-good.dcm');
  makeReference(good, goodRef, TS.jpegLs);
  const headers = readHeaders([good, bad]);
  const { probes, photometric } = probesFor(goodRef);
  return [
    entryFromFiles({
      label: 'corrupt-good',
      group: 'corrupt',
      description: 'Valid JPEG-LS series in the study that also holds corrupt-bad',
      source: 'pydicom:MR_small_jpeg_ls_lossless.dcm',
      files: [good],
      refFile: goodRef,
      headers,
      lossy: false,
      expectDecodeError: false,
      probes,
      refPhotometric: photometric,
    }),
    entryFromFiles({
      label: 'corrupt-bad',
      group: 'corrupt',
      description: `JPEG-LS frame: valid header (${info.headerBytes} B), scan data replaced by ${info.garbageBytes} 0xFF bytes`,
      source: 'pydicom:MR_small_jpeg_ls_lossless.dcm (scan data overwritten)',
      files: [bad],
      refFile: null,
      headers,
      lossy: false,
      expectDecodeError: true,
      probes: [],
      refPhotometric: null,
    }),
  ];
}

/**
/**
 * pydicom's 12-lead ECG (waveform_ecg.dcm) as a study of its own, and beside it a copy whose first multiplex group's
 * WaveformData is cut to 1000 bytes (of 240 000): the viewer must say so in that viewport.
 */
function buildWaveforms(work, pyDir) {
  const dir = path.join(work, 'upload', 'waveform');
  fs.mkdirSync(dir, { recursive: true });
  const good = path.join(dir, 'ecg.dcm');
  const bad = path.join(dir, 'ecg-short.dcm');
  fs.copyFileSync(path.join(pyDir, 'waveform_ecg.dcm'), good);
  newUids(good);
  setAttrs(good, {
    '0010,0010': 'WAVEFORM^PYDICOM',
    '0010,0020': 'WAVEFORM-1',
    '0008,1030': 'ECG (pydicom waveform_ecg.dcm)',
    '0008,103E': '12-lead ECG, rhythm and median beat',
    '0020,0011': '1',
  });
  const script = [
    'import sys, pydicom',
    'ds = pydicom.dcmread(sys.argv[1])',
    'g = ds.WaveformSequence[0]',
    'g.WaveformData = g.WaveformData[:1000]',
    'ds.SeriesDescription = "ECG with truncated waveform data"',
    'ds.SeriesNumber = 2',
    'ds.save_as(sys.argv[2])',
  ].join('\n');
  run('/usr/bin/python3', ['-c', script, good, bad]);
  newUids(bad, { study: false });
  const headers = readHeaders([good, bad]);
  const common = { refFile: null, headers, lossy: false, probes: [], refPhotometric: null };
  return [
    entryFromFiles({
      ...common,
      label: 'waveform-ecg',
      group: 'object',
      description: "pydicom's 12-lead ECG: RHYTHM (10 s at 1 kHz) and MEDIAN BEAT groups, 12 channels each, annotations",
      source: 'pydicom:waveform_ecg.dcm',
      files: [good],
      expectDecodeError: false,
    }),
    entryFromFiles({
      ...common,
      label: 'waveform-ecg-short',
      group: 'corrupt',
      description: 'The same ECG with its first group\'s WaveformData cut to 1000 bytes',
      source: 'pydicom:waveform_ecg.dcm (WaveformData truncated)',
      files: [bad],
      expectDecodeError: true,
    }),
  ];
}

/**
 * Reports and documents beyond the demo's: pydicom's test-SR.dcm (its own patient; new UIDs, so that another copy
 * elsewhere cannot collide), and a hostile and a truncated Encapsulated PDF (scripts/demo/objects/documentTests.ts).
 */
function buildDocuments(work, pyDir) {
  const dir = path.join(work, 'upload', 'documents');
  fs.mkdirSync(dir, { recursive: true });
  const sr = path.join(dir, 'test-SR.dcm');
  fs.copyFileSync(path.join(pyDir, 'test-SR.dcm'), sr);
  newUids(sr);
  const made = [{ label: 'test-sr', path: sr, source: 'pydicom:test-SR.dcm (new UIDs)' }, ...writeDocumentTestObjects(dir).map((f) => ({ ...f, source: 'scripts/demo/objects/documentTests.ts' }))];
  const headers = readHeaders(made.map((m) => m.path));
  return made.map((m) =>
    entryFromFiles({
      label: m.label,
      group: 'objects',
      description: headers.get(m.path).seriesDescription || m.label,
      source: m.source,
      files: [m.path],
      refFile: null,
      headers,
      lossy: false,
      expectDecodeError: false,
      probes: [],
      refPhotometric: null,
    }),
  );
}

async function buildDemo(work, opts, log) {
  const mod = findDemoModule();
  if (!mod) {
    throw new Error(
      `The demo generator is missing: none of ${DEMO_CANDIDATES.join(', ')} exists.\n` +
        'The e2e data needs generateDemoDicom(outDir, { ctSlices }) from scripts/demo/. ' +
        '(For harness development only: E2E_NO_DEMO=1 or --no-demo skips it.)',
    );
  }
  const m = await import(pathToFileURL(mod).href);
  const gen = m.generateDemoDicom ?? m.default?.generateDemoDicom;
  if (typeof gen !== 'function') throw new Error(`${rel(mod)} does not export generateDemoDicom(outDir, { ctSlices })`);
  const dir = path.join(work, 'upload', 'demo');
  fs.mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  await gen(dir, { ctSlices: opts.ctSlices });
  const files = listFiles(dir).filter(isPart10);
  log(`  demo generator: ${files.length} files in ${Date.now() - t0} ms`);
  if (!files.length) throw new Error(`generateDemoDicom wrote no files into ${dir}`);
  const headers = readHeaders(files);
  const bySeries = new Map();
  for (const f of files) {
    const h = headers.get(f);
    if (!h.seriesInstanceUID) throw new Error(`${f}: no SeriesInstanceUID (not a DICOM file?)`);
    if (!bySeries.has(h.seriesInstanceUID)) bySeries.set(h.seriesInstanceUID, []);
    bySeries.get(h.seriesInstanceUID).push(f);
  }
  const refDir = path.join(work, 'reference', 'demo');
  fs.mkdirSync(refDir, { recursive: true });
  const entries = [];
  const used = new Set();
  for (const seriesFiles of bySeries.values()) {
    const h0 = headers.get(seriesFiles[0]);
    const frames = h0.frames ?? 1;
    // Objects with a viewer of their own (SEG, reports, documents, waveforms, video): no pixel reference to make.
    const objectKind = VIDEO_TRANSFER_SYNTAXES.has(h0.transferSyntaxUID) ? 'video' : SOP_CLASS_KINDS[h0.sopClassUID];
    let kind = objectKind ?? (h0.modality || 'ot').toLowerCase();
    if (!objectKind && h0.photometric === 'PALETTE COLOR') kind = 'palette';
    // 'demo-multiframe' is the angiography whatever other multi-frames sort before it (an ultrasound loop).
    else if (!objectKind && frames > 1) kind = kind === 'xa' ? 'multiframe' : `${kind}-multiframe`;
    let label = `demo-${kind}`;
    for (let i = 2; used.has(label); i++) label = `demo-${kind}-${i}`;
    used.add(label);
    if (objectKind) {
      entries.push(
        entryFromFiles({
          label,
          group: 'demo',
          description: `Demo ${kind} (${seriesFiles.length} object${seriesFiles.length > 1 ? 's' : ''})`,
          source: rel(mod),
          files: seriesFiles,
          refFile: null,
          headers,
          lossy: false,
          expectDecodeError: false,
          probes: [],
          refPhotometric: null,
        }),
      );
      continue;
    }
    const ordered = [...seriesFiles].sort((a, b) => (headers.get(a).instanceNumber ?? 0) - (headers.get(b).instanceNumber ?? 0));
    // Probes come from the first instance (and the CT block below covers whole volumes).
    const first = ordered[0];
    let refFile = first;
    if (h0.transferSyntaxUID !== TS.explicit) {
      refFile = path.join(refDir, `${label}.dcm`);
      makeReference(first, refFile, h0.transferSyntaxUID);
    }
    const { probes, photometric } = probesFor(refFile);
    entries.push(
      entryFromFiles({
        label,
        group: 'demo',
        description: `Demo ${kind} series (${seriesFiles.length} instance${seriesFiles.length > 1 ? 's' : ''})`,
        source: rel(mod),
        files: seriesFiles,
        refFile,
        headers,
        lossy: LOSSY.has(h0.transferSyntaxUID),
        expectDecodeError: false,
        probes,
        refPhotometric: photometric,
      }),
    );
  }
  const ctEntry = entries
    .filter((e) => e.modality === 'CT')
    .sort((a, b) => b.instanceCount - a.instanceCount)[0];
  let ct = null;
  if (ctEntry) {
    const slices = ctEntry.instances;
    const pick = [0, Math.floor(slices.length / 2), slices.length - 1];
    const probes = [];
    for (const s of pick) {
      const inst = slices[s];
      let refFile = path.join(ROOT, inst.uploadedPath);
      if (ctEntry.transferSyntaxUID !== TS.explicit) {
        refFile = path.join(refDir, `ct-${s}.dcm`);
        makeReference(path.join(ROOT, inst.uploadedPath), refFile, ctEntry.transferSyntaxUID);
      }
      const ref = loadReference(refFile);
      for (const [x, y] of probePoints(ctEntry.rows, ctEntry.columns)) {
        const p = readPixel(ref, x, y, 0);
        probes.push({ x, y, slice: s, stored: p.stored[0], modality: p.modality });
      }
    }
    const firstFile = path.join(ROOT, slices[0].uploadedPath);
    const lastFile = path.join(ROOT, slices[slices.length - 1].uploadedPath);
    ct = {
      label: ctEntry.label,
      slices: slices.length,
      rows: ctEntry.rows,
      columns: ctEntry.columns,
      studyInstanceUID: ctEntry.studyInstanceUID,
      seriesInstanceUID: ctEntry.seriesInstanceUID,
      sopInstanceUIDs: slices.map((i) => i.sopInstanceUID),
      rescaleSlope: ctEntry.rescaleSlope,
      rescaleIntercept: ctEntry.rescaleIntercept,
      firstPosition: headers.get(firstFile)?.imagePositionPatient ?? null,
      lastPosition: headers.get(lastFile)?.imagePositionPatient ?? null,
      probes,
    };
  }
  return { entries, ct, files };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (process.env.E2E_NO_DEMO === '1') opts.noDemo = true;
  const pyDir = pydicomDir();
  const stamp = stampOf(opts, pyDir);
  const stampFile = path.join(OUT, 'stamp.json');
  const manifestFile = path.join(OUT, 'manifest.json');
  if (!opts.force && fs.existsSync(manifestFile) && fs.existsSync(stampFile)) {
    try {
      if (JSON.parse(fs.readFileSync(stampFile, 'utf8')).stamp === stamp) {
        console.log(`e2e data up to date in ${rel(OUT)}/`);
        return;
      }
    } catch {
      // rebuild
    }
  }
  const t0 = Date.now();
  dcmjs = (await import('dcmjs')).default;
  const log = (s) => console.log(s);
  log(`Preparing e2e data into ${rel(OUT)}/ (ctSlices ${opts.ctSlices}${opts.noDemo ? ', NO demo data' : ''})`);
  const work = `${OUT}.tmp-${process.pid}`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  try {
    const entries = [];
    let ct = null;
    let demoFiles = [];
    if (!opts.noDemo) {
      const demo = await buildDemo(work, opts, log);
      entries.push(...demo.entries);
      ct = demo.ct;
      demoFiles = demo.files;
      entries.push(buildArabic127(work, demoFiles, log));
    }
    const tm = Date.now();
    entries.push(...buildMatrix(work, pyDir, log));
    log(`  transfer-syntax matrix: ${MATRIX.length} entries in ${Date.now() - tm} ms`);
    entries.push(...buildCorrupt(work, pyDir));
    entries.push(...buildWaveforms(work, pyDir));
    entries.push(...buildDocuments(work, pyDir));
    fs.rmSync(path.join(work, 'tmp'), { recursive: true, force: true });

    // Paths so far point into `work`; the directory is renamed to OUT at the end.
    const fix = (p) => (p ? p.replace(rel(work), rel(OUT)) : p);
    for (const e of entries) {
      e.uploadedPath = fix(e.uploadedPath);
      e.referencePath = fix(e.referencePath);
      for (const i of e.instances) i.uploadedPath = fix(i.uploadedPath);
    }

    const uploads = [];
    for (const e of entries) for (const i of e.instances) uploads.push({ path: i.uploadedPath, label: e.label, expectRejected: false });
    const uploadedCount = uploads.length;
    if (!opts.noDemo && uploadedCount - entries.filter((e) => e.group !== 'demo').length !== demoFiles.length) {
      throw new Error('internal: demo files and manifest instances disagree');
    }
    const sops = new Set(uploads.map((u) => entries.flatMap((e) => e.instances).find((i) => i.uploadedPath === u.path)?.sopInstanceUID));
    if (sops.size !== uploads.length) throw new Error('two prepared files share a SOP Instance UID');

    const studies = new Map();
    for (const e of entries) {
      let s = studies.get(e.studyInstanceUID);
      if (!s) {
        s = {
          studyInstanceUID: e.studyInstanceUID,
          patientName: e.patientName,
          patientId: e.patientId,
          studyDescription: e.studyDescription,
          seriesCount: 0,
          instanceCount: 0,
          labels: [],
        };
        studies.set(e.studyInstanceUID, s);
      }
      s.seriesCount++;
      s.instanceCount += e.instanceCount;
      s.labels.push(e.label);
    }
    const manifest = {
      version: 1,
      createdAt: new Date().toISOString(),
      demoIncluded: !opts.noDemo,
      ctSlices: ct ? ct.slices : 0,
      studyCount: studies.size,
      instanceCount: uploads.filter((u) => !u.expectRejected).length,
      entries,
      studies: [...studies.values()],
      ct,
      uploads,
    };
    fs.writeFileSync(path.join(work, 'manifest.json'), JSON.stringify(manifest, null, 2));
    fs.writeFileSync(path.join(work, 'stamp.json'), JSON.stringify({ stamp, createdAt: manifest.createdAt }, null, 2));
    fs.rmSync(OUT, { recursive: true, force: true });
    fs.renameSync(work, OUT);
    log(
      `e2e data ready: ${entries.length} series, ${manifest.studyCount} studies, ${manifest.instanceCount} instances in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  } catch (e) {
    fs.rmSync(work, { recursive: true, force: true });
    throw e;
  }
}

main().catch((e) => {
  console.error(`prepare-e2e-data: ${e.message}`);
  process.exit(1);
});
