// ndarray without `new Function`: Cornerstone's SEG adapter (@cornerstonejs/adapters) views each SEG frame through
// npm's ndarray, which compiles its accessors from strings at run time; the app's Content Security Policy has no
// 'unsafe-eval', so that code is refused and no SEG could load. The adapter uses a frame only as a strided view
// (`data`, `shape`, `get`, `set`); this module gives exactly that and stands in for ndarray in the build and the
// dev server (vite.config.ts `resolve.alias`).

type Values = { [index: number]: number; length: number };

export interface NdArray {
  data: Values;
  shape: number[];
  stride: number[];
  offset: number;
  size: number;
  dimension: number;
  index(...indices: number[]): number;
  get(...indices: number[]): number;
  set(...args: number[]): number;
}

/** A view of `data` with `shape` (row-major strides unless given), as ndarray(data, shape, stride, offset). */
export default function ndarray(data: Values, shape: number[] = [data.length], stride?: number[], offset = 0): NdArray {
  const strides = stride ?? shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const index = (...indices: number[]): number => {
    let at = offset;
    for (let i = 0; i < strides.length; i++) at += indices[i]! * strides[i]!;
    return at;
  };
  return {
    data,
    shape,
    stride: strides,
    offset,
    size: shape.reduce((a, b) => a * b, 1),
    dimension: shape.length,
    index,
    get: (...indices) => data[index(...indices)]!,
    set: (...args) => {
      const value = args[args.length - 1]!;
      data[index(...args.slice(0, -1))] = value;
      return value;
    },
  };
}
