/**
 * The smallest complete graft backend: the required tier and nothing else (27 primitives), as
 * plain loops over multi-indices, built from `@graft/core/backend-kit`. Core composes every
 * accelerated op (sub, comparisons, argmax, cumsum, indexSelect, concat, sort values, ...) from
 * these, and the backend passes the whole conformance suite (test/conformance-minimal.test.ts).
 * docs/backends.md §9 builds it step by step.
 */
import {
  type Backend, type DType, type ReduceOp, type Shape, type TypedArray, type View,
  arrayFor, asLine, binaryFn, binaryRules, contiguousStrides, dtypes, forEachIndex, numel, offsetOf, unaryFn, withoutAxis,
} from '../backend/kit.js';

/** Storage is a typed array of the dtype (bool: Uint8Array of 0/1). */
export type MinimalBuffer = TypedArray;
type V = View<MinimalBuffer>;

const at = (x: V, idx: readonly number[]): number => x.buffer[offsetOf(x, idx)];

/** A new buffer of `shape` holding fn(idx) at each multi-index, stored as `dtype` converts it (bool: != 0). */
function build(shape: Shape, dtype: DType, fn: (idx: number[]) => number): TypedArray {
  const out = arrayFor(dtype, numel(shape));
  let i = 0;
  forEachIndex(shape, (idx) => {
    const v = fn(idx);
    out[i++] = dtype === 'bool' ? (v !== 0 ? 1 : 0) : v;
  });
  return out;
}

/** Each reduction as a running binary op of the semantics table, from its identity. */
const reducers: { [op in ReduceOp]: { by: 'add' | 'mul' | 'maximum' | 'minimum'; init: number } } = {
  sum: { by: 'add', init: 0 },
  prod: { by: 'mul', init: 1 },
  max: { by: 'maximum', init: -Infinity },
  min: { by: 'minimum', init: Infinity },
};

/** Ascending order with NaN after every number. */
const compareAsc = (a: number, b: number): number => (a !== a ? (b !== b ? 0 : 1) : b !== b ? -1 : a < b ? -1 : a > b ? 1 : 0);

export function createMinimalBackend(): Backend<MinimalBuffer> {
  const copy = (x: V): TypedArray => build(x.shape, x.dtype, (idx) => at(x, idx));
  return {
    name: 'minimal',
    dtypes,

    // ---- storage ----
    fromArray: (data, dtype) => build([data.length], dtype, ([i]) => data[i]),
    read: copy,
    fill: (size, value, dtype) => build([size], dtype, () => value),
    dispose: () => {}, // garbage collected
    cast: (x, dtype) => build(x.shape, dtype, (idx) => at(x, idx)), // the int32 store truncates toward zero
    contiguous: copy,

    // ---- elementwise: the semantics table's rules ----
    unary(op, x) {
      const f = unaryFn(op, x.dtype);
      return build(x.shape, x.dtype, (idx) => f(at(x, idx)));
    },
    binary(op, a, b) {
      const f = binaryFn(op, a.dtype);
      return build(a.shape, binaryRules[op].out === 'bool' ? 'bool' : a.dtype, (idx) => f(at(a, idx), at(b, idx)));
    },
    where: (cond, a, b) => build(a.shape, a.dtype, (idx) => (at(cond, idx) !== 0 ? at(a, idx) : at(b, idx))),

    // ---- reduce and matmul: float64 accumulators in row-major order, stored once ----
    reduce(op, x, axes) {
      const { by, init } = reducers[op];
      const step = binaryFn(by, x.dtype);
      const kept = x.shape.map((_, d) => d).filter((d) => !axes.includes(d));
      const full = new Array<number>(x.shape.length);
      return build(kept.map((d) => x.shape[d]), x.dtype, (outIdx) => {
        kept.forEach((d, k) => (full[d] = outIdx[k]));
        let acc = init;
        forEachIndex(axes.map((d) => x.shape[d]), (r) => {
          axes.forEach((d, k) => (full[d] = r[k]));
          acc = step(acc, at(x, full));
        });
        return acc;
      });
    },
    matmul(a, b) {
      const nd = a.shape.length;
      const mul = binaryFn('mul', a.dtype); // int32: Math.imul, so products wrap like C
      return build([...a.shape.slice(0, -1), b.shape[nd - 1]], a.dtype, (idx) => {
        const [ai, bi] = [[...idx], [...idx]];
        let acc = 0;
        for (let k = 0; k < a.shape[nd - 1]; k++) {
          ai[nd - 1] = bi[nd - 2] = k;
          acc += mul(at(a, ai), at(b, bi));
        }
        return acc;
      });
    },

    // ---- indexing ----
    gather(x0, axis, index0) {
      const [x, index] = [asLine(x0), asLine(index0)];
      return build(index.shape, x.dtype, (idx) => at(x, idx.map((i, d) => (d === axis ? at(index, idx) : i))));
    },
    scatterAdd(x0, axis, index0, src0) {
      const [x, index, src] = [asLine(x0), asLine(index0), asLine(src0)];
      const acc = Float64Array.from(copy(x));
      const strides = contiguousStrides(x.shape);
      forEachIndex(src.shape, (idx) => {
        const o = idx.reduce((sum, i, d) => sum + (d === axis ? at(index, idx) : i) * strides[d], 0);
        acc[o] += at(src, idx);
      });
      return build([acc.length], x.dtype, ([i]) => acc[i]);
    },
    sort(x0, axis, descending) {
      const x = asLine(x0);
      const strides = contiguousStrides(x.shape);
      const indices = new Int32Array(numel(x.shape));
      forEachIndex(withoutAxis(x.shape, axis), (rest) => {
        const idx = [...rest.slice(0, axis), 0, ...rest.slice(axis)];
        const valueAt = (k: number) => { idx[axis] = k; return at(x, idx); };
        const order = Array.from({ length: x.shape[axis] }, (_, k) => k); // Array.prototype.sort is stable
        order.sort((p, q) => (descending ? -1 : 1) * compareAsc(valueAt(p), valueAt(q)));
        order.forEach((k, j) => {
          idx[axis] = j;
          indices[idx.reduce((o, i, d) => o + i * strides[d], 0)] = k;
        });
      });
      return { indices }; // no values: core gathers them
    },
  };
}
