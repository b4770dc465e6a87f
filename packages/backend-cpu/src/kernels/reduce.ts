/**
 * Reductions over axes (sum, prod, max, min), argmax/argmin and cumsum along one axis.
 *
 * `reduce` permutes (metadata only) so the kept axes come first and the reduced ones last; if
 * that view is dense, each output is the reduction of one contiguous row, otherwise it is first
 * copied dense. A second fast path handles reducing the leading axes of a dense tensor (e.g. the
 * batch dim) by accumulating whole rows, so no transposed copy is needed. Either way every output
 * combines its inputs in row-major order of the reduced axes, in a float64 accumulator
 * (int32: wrapping at each step), and is converted to the dtype once.
 */
import { arrayFor, asLine, isDense, lines, numel, permuteView, type ArgReduceOp, type DType, type ReduceOp, type TypedArray } from '@graft/core/backend-kit';
import { contiguous } from './elementwise.js';
import { perDtype } from './specialize.js';
import { fromFloat64, type CpuView } from './strided.js';

const initial: Record<ReduceOp, number> = { sum: 0, prod: 1, max: -Infinity, min: Infinity };

/** out[r] = op over data[base + r·len .. + len) for r < rows. */
function reduceRows(op: ReduceOp, int: boolean, init: number, data: TypedArray, base: number, rows: number, len: number, out: Float64Array): void {
  for (let r = 0, p = base; r < rows; r++, p += len) {
    const end = p + len;
    let acc = init;
    switch (op) {
      case 'sum':
        if (int) for (let i = p; i < end; i++) acc = (acc + data[i]) | 0;
        else for (let i = p; i < end; i++) acc += data[i];
        break;
      case 'prod':
        if (int) for (let i = p; i < end; i++) acc = Math.imul(acc, data[i]);
        else for (let i = p; i < end; i++) acc *= data[i];
        break;
      case 'max': // `v !== v` lets a NaN in; once acc is NaN, `v > acc` never lets it out
        for (let i = p; i < end; i++) { const v = data[i]; if (v > acc || v !== v) acc = v; }
        break;
      case 'min':
        for (let i = p; i < end; i++) { const v = data[i]; if (v < acc || v !== v) acc = v; }
        break;
    }
    out[r] = acc;
  }
}

/** acc[j] = op over data[base + r·cols + j] for r < rows: reducing the leading dims, row by row. */
function reduceLeading(op: ReduceOp, int: boolean, init: number, data: TypedArray, base: number, rows: number, cols: number, acc: Float64Array): void {
  acc.fill(init);
  for (let r = 0, p = base; r < rows; r++, p += cols) {
    switch (op) {
      case 'sum':
        if (int) for (let j = 0; j < cols; j++) acc[j] = (acc[j] + data[p + j]) | 0;
        else for (let j = 0; j < cols; j++) acc[j] += data[p + j];
        break;
      case 'prod':
        if (int) for (let j = 0; j < cols; j++) acc[j] = Math.imul(acc[j], data[p + j]);
        else for (let j = 0; j < cols; j++) acc[j] *= data[p + j];
        break;
      case 'max':
        for (let j = 0; j < cols; j++) { const v = data[p + j]; if (v > acc[j] || v !== v) acc[j] = v; }
        break;
      case 'min':
        for (let j = 0; j < cols; j++) { const v = data[p + j]; if (v < acc[j] || v !== v) acc[j] = v; }
        break;
    }
  }
}

// One copy per dtype, so the loops stay monomorphic in the typed-array class (see specialize.ts).
const reduceRowsFor = perDtype(reduceRows);
const reduceLeadingFor = perDtype(reduceLeading);

export function reduce(op: ReduceOp, x: CpuView, axes: readonly number[]): TypedArray {
  if (axes.length === 0) return contiguous(x);
  const nd = x.shape.length;
  const kept = [...Array(nd).keys()].filter((d) => !axes.includes(d));
  const outSize = numel(kept.map((d) => x.shape[d]));
  const len = numel(axes.map((d) => x.shape[d]));
  const acc = new Float64Array(outSize);
  const int = x.dtype === 'int32';
  const leading = axes.every((d, i) => d === i);
  const p = permuteView(x, [...kept, ...axes]);
  if (len === 0) acc.fill(initial[op]);
  else if (isDense(p)) reduceRowsFor(x.dtype)(op, int, initial[op], p.buffer, p.offset, outSize, len, acc);
  else if (leading && isDense(x)) reduceLeadingFor(x.dtype)(op, int, initial[op], x.buffer, x.offset, len, outSize, acc);
  else reduceRowsFor(x.dtype)(op, int, initial[op], contiguous(p), 0, outSize, len, acc);
  return fromFloat64(acc, x.dtype);
}

/** int32 index of the first max (min) along `axis`; a NaN wins for both, as in PyTorch. */
export function argReduce(op: ArgReduceOp, x0: CpuView, axis: number): TypedArray {
  const x = asLine(x0);
  const data = isDense(x) ? x.buffer : contiguous(x);
  const base = isDense(x) ? x.offset : 0;
  const { outer, len, inner } = lines(x.shape, axis);
  const out = new Int32Array(outer * inner);
  const max = op === 'argmax';
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const p = base + o * len * inner + i;
      let best = 0;
      let bestValue = data[p];
      if (bestValue === bestValue) {
        for (let k = 1; k < len; k++) {
          const v = data[p + k * inner];
          if (v !== v) { best = k; break; }
          if (max ? v > bestValue : v < bestValue) { best = k; bestValue = v; }
        }
      }
      out[o * inner + i] = best;
    }
  }
  return out;
}

/** Inclusive prefix sum along `axis`, accumulated in float64 (int32: wrapping), each output rounded once. */
export function cumsum(x0: CpuView, axis: number): TypedArray {
  const x = asLine(x0);
  const data = isDense(x) ? x.buffer : contiguous(x);
  const base = isDense(x) ? x.offset : 0;
  const { outer, len, inner } = lines(x.shape, axis);
  const dtype: DType = x.dtype;
  const out = arrayFor(dtype, outer * len * inner);
  const acc = new Float64Array(inner);
  const int = dtype === 'int32';
  const bool = dtype === 'bool';
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    for (let k = 0; k < len; k++) {
      const row = o * len * inner + k * inner;
      for (let i = 0; i < inner; i++) {
        const s = int ? (acc[i] + data[base + row + i]) | 0 : acc[i] + data[base + row + i];
        acc[i] = s;
        out[row + i] = bool ? (s !== 0 ? 1 : 0) : s;
      }
    }
  }
  return out;
}
