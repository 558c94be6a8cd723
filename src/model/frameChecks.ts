import type { DicomJson } from '../dicomweb/json';
import { getNumber } from '../dicomweb/json';
import { Tag } from '../dicomweb/tags';

/** Largest image side the viewer decodes (WebGL textures are at most 16384 wide on common GPUs). */
export const MAX_IMAGE_SIDE = 16384;
/** Largest decoded frame the viewer allocates. */
export const MAX_FRAME_BYTES = 512 * 1024 * 1024;

/**
 * Why a frame must not be decoded, judged from its metadata before any pixel is fetched or memory allocated;
 * undefined when it looks displayable.
 */
export function frameProblem(ds: DicomJson): string | undefined {
  const rows = getNumber(ds, Tag.Rows);
  const columns = getNumber(ds, Tag.Columns);
  if (rows === undefined || columns === undefined) return 'the image has no Rows/Columns';
  if (!Number.isInteger(rows) || !Number.isInteger(columns) || rows <= 0 || columns <= 0) {
    return `the image size ${rows} × ${columns} is not valid`;
  }
  if (rows > MAX_IMAGE_SIDE || columns > MAX_IMAGE_SIDE) {
    return `the image is ${columns} × ${rows} pixels; the viewer shows up to ${MAX_IMAGE_SIDE} per side`;
  }
  const bits = getNumber(ds, Tag.BitsAllocated) ?? 16;
  if (![1, 8, 16, 32].includes(bits)) return `BitsAllocated ${bits} is not supported`;
  const samples = getNumber(ds, Tag.SamplesPerPixel) ?? 1;
  if (![1, 3, 4].includes(samples)) return `SamplesPerPixel ${samples} is not supported`;
  const bytes = rows * columns * samples * Math.max(1, bits / 8) * 4; // decoded RGBA or float worst case
  if (bytes > MAX_FRAME_BYTES) return `a ${columns} × ${rows} frame would need ${Math.round(bytes / 2 ** 20)} MB to display`;
  return undefined;
}

const positiveNumbers = (ds: DicomJson, tag: string, n: number): boolean => {
  const values = ds[tag]?.Value;
  return !!values && values.length === n && values.every((v) => v !== '' && v !== null && Number.isFinite(Number(v)) && Number(v) > 0);
};
const finiteNumbers = (ds: DicomJson, tag: string, n: number): boolean => {
  const values = ds[tag]?.Value;
  return !!values && values.length === n && values.every((v) => v !== '' && v !== null && Number.isFinite(Number(v)));
};

/**
 * A copy of an instance's metadata with geometry the renderer cannot use removed (non-numeric, zero or negative
 * spacing, NaN positions, degenerate orientation), so the image shows uncalibrated instead of not at all.
 * Returns the original object when nothing needed removing.
 */
export function sanitizeGeometry(ds: DicomJson): DicomJson {
  const drop: string[] = [];
  if (ds[Tag.PixelSpacing] && !positiveNumbers(ds, Tag.PixelSpacing, 2)) drop.push(Tag.PixelSpacing);
  if (ds['00181164'] && !positiveNumbers(ds, '00181164', 2)) drop.push('00181164');
  if (ds[Tag.SliceThickness] && !positiveNumbers(ds, Tag.SliceThickness, 1)) drop.push(Tag.SliceThickness);
  if (ds['00180088'] && !positiveNumbers(ds, '00180088', 1)) drop.push('00180088');
  if (ds[Tag.ImagePositionPatient] && !finiteNumbers(ds, Tag.ImagePositionPatient, 3)) drop.push(Tag.ImagePositionPatient);
  const iop = ds[Tag.ImageOrientationPatient];
  if (iop) {
    const v = (iop.Value ?? []).map(Number);
    const row = Math.hypot(v[0]!, v[1]!, v[2]!);
    const col = Math.hypot(v[3]!, v[4]!, v[5]!);
    const ok = finiteNumbers(ds, Tag.ImageOrientationPatient, 6) && Math.abs(row - 1) < 0.05 && Math.abs(col - 1) < 0.05;
    if (!ok) drop.push(Tag.ImageOrientationPatient);
  }
  if (drop.length === 0) return ds;
  const copy: DicomJson = { ...ds };
  for (const tag of drop) delete copy[tag];
  return copy;
}
