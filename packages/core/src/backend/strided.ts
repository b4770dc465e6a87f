/**
 * Strided-view helpers every backend needs (part of `@graft/core/backend-kit`): building views,
 * broadcasting one along an axis, walking multi-indices, coalescing dims, and iterating the lines
 * along an axis. All metadata: nothing here touches a buffer's contents.
 */
import type { DType } from '../dtype.js';
import { contiguousStrides, isContiguous, numel, type Shape } from '../shape.js';
import type { View } from './backend.js';

/** A dense row-major view of a whole buffer. */
export const denseView = <B>(buffer: B, shape: Shape, dtype: DType): View<B> =>
  ({ buffer, dtype, shape, strides: contiguousStrides(shape), offset: 0 });

/** True when the view's elements are its buffer's, in row-major order, from `offset` on. */
export const isDense = (x: View<unknown>): boolean => isContiguous(x.shape, x.strides);

/** A 0-d view seen as a 1-element line, so that axis 0 exists (PyTorch allows dim 0/-1 on scalars). */
export const asLine = <B>(x: View<B>): View<B> => (x.shape.length === 0 ? { ...x, shape: [1], strides: [0] } : x);

/** `shape` without dim `axis`. */
export const withoutAxis = (shape: Shape, axis: number): number[] => shape.filter((_, d) => d !== axis);

/** The view with its dims reordered: new dim i is old dim perm[i]. */
export const permuteView = <B>(x: View<B>, perm: readonly number[]): View<B> =>
  ({ ...x, shape: perm.map((d) => x.shape[d]), strides: perm.map((d) => x.strides[d]) });

/**
 * Broadcasting index math: a view of `shape` that reads `x` along `axes` (x's dims, in order) and
 * repeats it (stride 0) along every other dim. `alongAxes(line, [3, 5], [1])` sees a 1-d line as
 * a [3, 5] tensor that varies along dim 1; `alongAxes(reduced, shape, kept)` puts back reduced dims.
 */
export function alongAxes<B>(x: View<B>, shape: Shape, axes: readonly number[]): View<B> {
  const strides = shape.map(() => 0);
  axes.forEach((d, k) => { strides[d] = x.strides[k]; });
  return { ...x, shape, strides };
}

/** Calls fn with every multi-index of `shape` in row-major order (once, with [], for a scalar). */
export function forEachIndex(shape: Shape, fn: (idx: number[]) => void): void {
  if (numel(shape) === 0) return;
  const idx = new Array<number>(shape.length).fill(0);
  for (;;) {
    fn(idx);
    let d = shape.length - 1;
    while (d >= 0 && ++idx[d] === shape[d]) idx[d--] = 0;
    if (d < 0) return;
  }
}

/** The buffer position of element `idx` of the view. */
export function offsetOf(x: View<unknown>, idx: readonly number[]): number {
  let o = x.offset;
  for (let d = 0; d < idx.length; d++) o += idx[d] * x.strides[d];
  return o;
}

/**
 * Drops size-1 dims and merges neighbouring dims that every operand steps through as one
 * (stride[d] = stride[d+1] · shape[d+1]), keeping at least one dim. A contiguous tensor
 * becomes 1-d, and so does "contiguous op broadcast scalar".
 */
export function coalesce(shape: Shape, strides: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, k) => outStrides[k][last] === s[d] * shape[d])) {
      outShape[last] *= shape[d];
      strides.forEach((s, k) => (outStrides[k][last] = s[d]));
    } else {
      outShape.push(shape[d]);
      strides.forEach((s, k) => outStrides[k].push(s[d]));
    }
  }
  if (outShape.length === 0) return { shape: [1], strides: strides.map(() => [0]) };
  return { shape: outShape, strides: outStrides };
}

/**
 * A dense tensor seen as `outer × len × inner` around `axis`: element (o, k, i) lives at
 * o·len·inner + k·inner + i.
 */
export function lines(shape: Shape, axis: number): { outer: number; len: number; inner: number } {
  return { outer: numel(shape.slice(0, axis)), len: shape[axis], inner: numel(shape.slice(axis + 1)) };
}

/**
 * Walks the rows of `shape` (all dims but the last) with one pointer per operand, calling
 * `line(ptrs)` once per row; the caller's tight inner loop steps along the last dim itself.
 * `ptrs[k]` is operand k's offset of the row's first element. Requires at least one dim.
 */
export function forEachLine(
  shape: Shape,
  strides: readonly (readonly number[])[],
  offsets: readonly number[],
  line: (ptrs: number[]) => void,
): void {
  if (numel(shape) === 0) return;
  const nd = shape.length;
  const ptrs = [...offsets];
  const idx = new Array<number>(nd).fill(0);
  for (;;) {
    line(ptrs);
    let d = nd - 2;
    for (; d >= 0; d--) {
      if (++idx[d] < shape[d]) {
        for (let k = 0; k < ptrs.length; k++) ptrs[k] += strides[k][d];
        break;
      }
      idx[d] = 0;
      for (let k = 0; k < ptrs.length; k++) ptrs[k] -= strides[k][d] * (shape[d] - 1);
    }
    if (d < 0) return;
  }
}
