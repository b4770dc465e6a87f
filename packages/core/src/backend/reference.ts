/**
 * The reference backend: the semantic definition of every primitive, written to be obviously
 * correct rather than fast. Every element is addressed through its multi-index
 * (`offset + Σ i_j · strides[j]`), every value is computed as a float64 JS number, and the result
 * is stored into the typed array of the output dtype, so float32 results round once, at the end.
 *
 * Conventions the other backends are tested against (where the Backend JSDoc leaves room):
 * - Storing into an int32 buffer truncates toward zero and wraps modulo 2^32 (NaN and ±∞ → 0);
 *   int32 `mul`, `pow`, `sum`, `prod`, `cumsum`, `matmul` and `scatterAdd` wrap like C int32.
 * - Storing into a bool buffer stores `value != 0` as 0/1 (NaN is true), so bool `add` is `or`
 *   and bool `mul` is `and`, as in PyTorch.
 * - int32 `pow` with a negative exponent gives the truncated integer result (1 for base 1,
 *   ±1 for base −1, 0 otherwise; PyTorch raises instead).
 * - `sign(NaN)` is NaN; `sign(±0)` is ±0.
 * - Reductions, `cumsum`, `matmul` and `scatterAdd` accumulate in float64 in row-major order and
 *   round once; empty `max`/`min` (which core rejects) give -∞/+∞ converted to the dtype.
 * - `argmax`/`argmin` return the first extreme index, or the first NaN's index if there is a NaN
 *   (PyTorch's behaviour for both); an empty axis gives 0.
 * - Axis primitives (`argReduce`, `cumsum`, `sort`, `gather`, ...) given a 0-d tensor and axis 0
 *   treat it as a 1-element line (PyTorch allows dim 0/-1 on scalars).
 * - Elementwise ops follow the semantics table (`unaryRules`/`binaryRules` in scalar.ts).
 * This backend implements every op of both tiers but has no fused kernels: core's composed
 * fallbacks are the definition of those.
 */
import type { ArgReduceOp, FullBackend, ReduceOp, View } from './backend.js';
import { acceleratedBinaryOps, acceleratedUnaryOps } from './backend.js';
import { arrayFor, dtypes, type DType, type TypedArray } from '../dtype.js';
import { numel, type Shape } from '../shape.js';
import { binaryFn, binaryRules, unaryFn } from './scalar.js';
import { asLine, forEachIndex, offsetOf, withoutAxis as without } from './strided.js';

export type ReferenceBuffer = TypedArray;
type RView = View<ReferenceBuffer>;

// ---- addressing ------------------------------------------------------------------------------

const at = (x: RView, idx: readonly number[]): number => x.buffer[offsetOf(x, idx)];

/** Stores a float64 value into the output dtype: bool keeps `v != 0`; int32/float32 convert on store. */
function store(out: TypedArray, i: number, v: number, dtype: DType): void {
  out[i] = dtype === 'bool' ? (v !== 0 ? 1 : 0) : v;
}

/** Maps every element of `shape` (row-major) through fn into a new buffer of `dtype`. */
function generate(shape: Shape, dtype: DType, fn: (idx: number[]) => number): TypedArray {
  const out = arrayFor(dtype, numel(shape));
  let i = 0;
  forEachIndex(shape, (idx) => store(out, i++, fn(idx), dtype));
  return out;
}

// ---- scalar semantics: elementwise rules come from the semantics table (scalar.ts) -------------

/** The running reduction step; int32 sums/products wrap at every step like C. */
function reduceStep(op: ReduceOp, dtype: DType): { init: number; step: (acc: number, v: number) => number } {
  const int = dtype === 'int32';
  switch (op) {
    case 'sum': return { init: 0, step: int ? (acc, v) => (acc + v) | 0 : (acc, v) => acc + v };
    case 'prod': return { init: 1, step: int ? Math.imul : (acc, v) => acc * v };
    // Once acc is NaN, `v > acc` is false, so NaN sticks.
    case 'max': return { init: -Infinity, step: (acc, v) => (v > acc || v !== v ? v : acc) };
    case 'min': return { init: Infinity, step: (acc, v) => (v < acc || v !== v ? v : acc) };
    default: return op satisfies never;
  }
}

/** NaN-aware three-way comparison for sort: NaN is larger than everything (so last ascending). */
function compareAsc(a: number, b: number): number {
  const an = a !== a;
  const bn = b !== b;
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- the backend -----------------------------------------------------------------------------

export function createReferenceBackend(): FullBackend<ReferenceBuffer> {
  const contiguous = (x: RView): TypedArray => generate(x.shape, x.dtype, (idx) => at(x, idx));

  return {
    name: 'reference',
    dtypes,
    accelerated: { unary: acceleratedUnaryOps, binary: acceleratedBinaryOps },

    fromArray(data, dtype) {
      const out = arrayFor(dtype, data.length);
      for (let i = 0; i < data.length; i++) store(out, i, data[i], dtype);
      return out;
    },
    read: contiguous,
    fill(size, value, dtype) {
      const out = arrayFor(dtype, size);
      for (let i = 0; i < size; i++) store(out, i, value, dtype);
      return out;
    },
    dispose() {},
    cast(x, dtype) {
      return generate(x.shape, dtype, (idx) => (dtype === 'int32' ? Math.trunc(at(x, idx)) : at(x, idx)));
    },
    contiguous,

    unary(op, x) {
      const f = unaryFn(op, x.dtype);
      return generate(x.shape, x.dtype, (idx) => f(at(x, idx)));
    },
    binary(op, a, b) {
      const f = binaryFn(op, a.dtype);
      return generate(a.shape, binaryRules[op].out === 'bool' ? 'bool' : a.dtype, (idx) => f(at(a, idx), at(b, idx)));
    },
    where(cond, a, b) {
      return generate(a.shape, a.dtype, (idx) => (at(cond, idx) !== 0 ? at(a, idx) : at(b, idx)));
    },

    reduce(op, x, axes) {
      if (axes.length === 0) return contiguous(x); // keeps -0, which `0 + x` would not
      const { init, step } = reduceStep(op, x.dtype);
      const kept = x.shape.map((_, d) => d).filter((d) => !axes.includes(d));
      const reducedShape = axes.map((d) => x.shape[d]);
      const full = new Array<number>(x.shape.length);
      return generate(kept.map((d) => x.shape[d]), x.dtype, (outIdx) => {
        kept.forEach((d, k) => (full[d] = outIdx[k]));
        let acc = init;
        forEachIndex(reducedShape, (redIdx) => {
          axes.forEach((d, k) => (full[d] = redIdx[k]));
          acc = step(acc, at(x, full));
        });
        return acc;
      });
    },
    argReduce(op: ArgReduceOp, x0, axis) {
      const x = asLine(x0);
      const better = op === 'argmax' ? (v: number, best: number) => v > best : (v: number, best: number) => v < best;
      return generate(without(x.shape, axis), 'int32', (outIdx) => {
        const idx = [...outIdx.slice(0, axis), 0, ...outIdx.slice(axis)];
        let best = 0;
        let bestValue = NaN;
        for (let k = 0; k < x.shape[axis]; k++) {
          idx[axis] = k;
          const v = at(x, idx);
          if (v !== v) return k; // the first NaN wins, for argmax and argmin alike
          if (k === 0 || better(v, bestValue)) {
            best = k;
            bestValue = v;
          }
        }
        return best;
      });
    },
    cumsum(x0, axis) {
      const x = asLine(x0);
      const int = x.dtype === 'int32';
      return generate(x0.shape, x.dtype, (idx0) => {
        const idx = x0.shape.length === 0 ? [0] : [...idx0];
        const upTo = idx[axis];
        let acc = 0;
        for (let k = 0; k <= upTo; k++) {
          idx[axis] = k;
          acc = int ? (acc + at(x, idx)) | 0 : acc + at(x, idx);
        }
        return acc;
      });
    },

    matmul(a, b) {
      const nd = a.shape.length;
      const K = a.shape[nd - 1];
      const outShape = [...a.shape.slice(0, nd - 1), b.shape[nd - 1]];
      const int = a.dtype === 'int32';
      return generate(outShape, a.dtype, (idx) => {
        const ai = [...idx];
        const bi = [...idx];
        let acc = 0;
        for (let k = 0; k < K; k++) {
          ai[nd - 1] = k;
          bi[nd - 2] = k;
          acc = int ? (acc + Math.imul(at(a, ai), at(b, bi))) | 0 : acc + at(a, ai) * at(b, bi);
        }
        return acc;
      });
    },

    gather(x0, axis, index0) {
      const x = asLine(x0);
      const index = asLine(index0);
      return generate(index.shape, x.dtype, (idx) => {
        const src = [...idx];
        src[axis] = at(index, idx);
        return at(x, src);
      });
    },
    scatterAdd(x0, axis, index0, src0) {
      const x = asLine(x0);
      const index = asLine(index0);
      const src = asLine(src0);
      // Accumulate in float64 (int32: wrapping) and convert once at the end.
      const acc = Float64Array.from(contiguous(x));
      const strides = x.shape.map((_, d) => numel(x.shape.slice(d + 1)));
      const int = x.dtype === 'int32';
      forEachIndex(src.shape, (idx) => {
        let o = 0;
        for (let d = 0; d < idx.length; d++) o += (d === axis ? at(index, idx) : idx[d]) * strides[d];
        acc[o] = int ? (acc[o] + at(src, idx)) | 0 : acc[o] + at(src, idx);
      });
      const out = arrayFor(x.dtype, acc.length);
      acc.forEach((v, i) => store(out, i, v, x.dtype));
      return out;
    },
    indexSelect(x0, axis, index) {
      const x = asLine(x0);
      const outShape = [...x.shape];
      outShape[axis] = index.shape[0];
      return generate(outShape, x.dtype, (idx) => {
        const src = [...idx];
        src[axis] = at(index, [idx[axis]]);
        return at(x, src);
      });
    },
    sort(x0, axis, descending) {
      const x = asLine(x0);
      const n = numel(x.shape);
      const values = arrayFor(x.dtype, n);
      const indices = new Int32Array(n);
      const rowStrides = x.shape.map((_, d) => numel(x.shape.slice(d + 1)));
      const len = x.shape[axis];
      forEachIndex(without(x.shape, axis), (outIdx) => {
        const idx = [...outIdx.slice(0, axis), 0, ...outIdx.slice(axis)];
        const line = Array.from({ length: len }, (_, k) => {
          idx[axis] = k;
          return { v: at(x, idx), k };
        });
        // Array.prototype.sort is stable, so ties keep their original order in both directions.
        line.sort((p, q) => (descending ? compareAsc(q.v, p.v) : compareAsc(p.v, q.v)));
        line.forEach(({ v, k }, j) => {
          idx[axis] = j;
          let o = 0;
          for (let d = 0; d < idx.length; d++) o += idx[d] * rowStrides[d];
          store(values, o, v, x.dtype);
          indices[o] = k;
        });
      });
      return { values, indices };
    },
    concat(xs, axis) {
      const outShape = [...xs[0].shape];
      outShape[axis] = xs.reduce((s, x) => s + x.shape[axis], 0);
      return generate(outShape, xs[0].dtype, (idx) => {
        let k = idx[axis];
        let j = 0;
        while (k >= xs[j].shape[axis]) k -= xs[j++].shape[axis];
        const src = [...idx];
        src[axis] = k;
        return at(xs[j], src);
      });
    },
  };
}
