/**
 * Native YBR_FULL_422 (Y1 Y2 Cb Cr for each pair of pixels, 8-bit) → interleaved RGB. Cornerstone 5.14's loader
 * misjudges the length of such frames (its 4:2:2 size test is the 4:2:0 one) and then fails to render them, so
 * the viewer converts them after decoding, and the importer stores them converted, as a transcoding server would.
 */
export function ybrFull422ToRgb(src: Uint8Array, rows: number, columns: number): Uint8Array {
  const out = new Uint8Array(rows * columns * 3);
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));
  for (let p = 0, o = 0; p + 3 < src.length && o < out.length; p += 4) {
    const cb = src[p + 2]! - 128;
    const cr = src[p + 3]! - 128;
    for (const y of [src[p]!, src[p + 1]!]) {
      out[o++] = clamp(y + 1.402 * cr);
      out[o++] = clamp(y - 0.344136 * cb - 0.714136 * cr);
      out[o++] = clamp(y + 1.772 * cb);
    }
  }
  return out;
}
