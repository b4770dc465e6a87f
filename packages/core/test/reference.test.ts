/**
 * The reference backend (the definition every backend is compared with by the conformance suite)
 * against values computed by hand or with mpmath: rounding, int32 wrapping, NaN handling, sort
 * order. Moved from backend-cpu's tests: the conformance suite carries them to every backend.
 */
import { describe, expect, it } from 'vitest';
import { arrayFor, contiguousStrides, createReferenceBackend, type DType, type TypedArray, type View } from '../src/index.js';

const be = createReferenceBackend();
type B = TypedArray;

function bufferOf(dtype: DType, size: number, gen: () => number): TypedArray {
  const b = arrayFor(dtype, size);
  for (let i = 0; i < size; i++) b[i] = gen();
  return b;
}

// ---- closed forms ----------------------------------------------------------------------------------

const vec = (values: number[], dtype: DType = 'float64', shape: number[] = [values.length]): View<B> => ({
  buffer: bufferOf(dtype, values.length, (() => { let i = 0; return () => values[i++]; })()),
  dtype, shape, strides: contiguousStrides(shape), offset: 0,
});

describe('closed forms on the reference backend', () => {
  it('erf', () => {
    const xs = [0.5, 1, -2, 3.5, 0.1, 1e-10, 0, Infinity, -Infinity, 7];
    const expected = [0.5204998778130465, 0.8427007929497149, -0.9953222650189527, 0.9999992569016276, 0.1124629160182849, 1.1283791670955126e-10, 0, 1, -1, 1];
    const got = be.unary('erf', vec(xs));
    xs.forEach((_, i) => expect(Math.abs(got[i] - expected[i])).toBeLessThanOrEqual(1e-15 * Math.abs(expected[i])));
    expect(Object.is(be.unary('erf', vec([-0]))[0], -0)).toBe(true);
  });

  it('unary specials: round half to even, sign, stable sigmoid', () => {
    expect(Array.from(be.unary('round', vec([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 3.7])))).toEqual([0, 2, 2, -0, -2, -2, 2, 4]);
    expect(Array.from(be.unary('sign', vec([3, -2, 0, NaN])))).toEqual([1, -1, 0, NaN]);
    const s = be.unary('sigmoid', vec([-1000, 1000, 0, -40]));
    expect(Array.from(s.subarray(0, 3))).toEqual([0, 1, 0.5]);
    expect(Math.abs(s[3] / 4.248354255291589e-18 - 1)).toBeLessThan(1e-15); // e^-40/(1+e^-40), no underflow
  });

  it('int32 wraps like C; bool arithmetic is logical', () => {
    const a = vec([65536, 2147483647, -2147483648, 7], 'int32');
    const b = vec([65536, 1, -1, 3], 'int32');
    expect(Array.from(be.binary('mul', a, b))).toEqual([0, 2147483647, -2147483648, 21]);
    expect(Array.from(be.binary('add', a, b))).toEqual([131072, -2147483648, 2147483647, 10]);
    expect(Array.from(be.binary('pow', vec([3, 2, -1, 5], 'int32'), vec([21, 31, 3, -1], 'int32')))).toEqual([1870418611, -2147483648, -1, 0]);
    expect(Array.from(be.unary('neg', vec([-2147483648], 'int32')))).toEqual([-2147483648]);
    expect(Array.from(be.binary('add', vec([1, 1, 0], 'bool'), vec([1, 0, 0], 'bool')))).toEqual([1, 1, 0]);
    expect(Array.from(be.reduce('sum', vec([2147483647, 1, 5], 'int32'), [0]))).toEqual([-2147483643]);
  });

  it('maximum/minimum propagate NaN; comparisons with NaN are false', () => {
    const a = vec([1, NaN, 3]);
    const b = vec([NaN, 2, 1]);
    expect(Array.from(be.binary('maximum', a, b))).toEqual([NaN, NaN, 3]);
    expect(Array.from(be.binary('minimum', a, b))).toEqual([NaN, NaN, 1]);
    expect(Array.from(be.binary('lt', a, b))).toEqual([0, 0, 0]);
    expect(Array.from(be.binary('ne', a, b))).toEqual([1, 1, 1]);
  });

  it('cast truncates toward zero; bool is != 0', () => {
    expect(Array.from(be.cast(vec([1.9, -1.9, 0.5, NaN]), 'int32'))).toEqual([1, -1, 0, 0]);
    expect(Array.from(be.cast(vec([0, -0, 0.1, NaN]), 'bool'))).toEqual([0, 0, 1, 1]);
    expect(Array.from(be.cast(vec([0.1]), 'float32'))).toEqual([Math.fround(0.1)]);
  });

  it('cumsum, reductions, arg-reductions', () => {
    expect(Array.from(be.cumsum(vec([1, 2, 3]), 0))).toEqual([1, 3, 6]);
    const m = vec([1, 5, 2, 5, 0, -1], 'float64', [2, 3]);
    expect(Array.from(be.reduce('sum', m, [0]))).toEqual([6, 5, 1]);
    expect(Array.from(be.reduce('prod', m, [1]))).toEqual([10, -0]);
    expect(Array.from(be.reduce('max', m, [0, 1]))).toEqual([5]);
    expect(Array.from(be.reduce('sum', vec([], 'float64', [2, 0]), [1]))).toEqual([0, 0]);
    expect(Array.from(be.reduce('prod', vec([], 'float64', [2, 0]), [1]))).toEqual([1, 1]);
    expect(Array.from(be.argReduce('argmax', vec([1, 5, 5, 2]), 0))).toEqual([1]);
    expect(Array.from(be.argReduce('argmin', vec([1, 0, 0, NaN, 0]), 0))).toEqual([3]);
    expect(Array.from(be.argReduce('argmax', vec([1, NaN, 9, NaN]), 0))).toEqual([1]);
  });

  it('matmul of a known pair', () => {
    const a = vec([1, 2, 3, 4], 'float32', [2, 2]);
    const b = vec([5, 6, 7, 8], 'float32', [2, 2]);
    expect(Array.from(be.matmul(a, b))).toEqual([19, 22, 43, 50]);
    const bt: View<B> = { ...vec([5, 7, 6, 8], 'float32', [2, 2]), strides: [1, 2] }; // the same b, stored transposed
    expect(Array.from(be.matmul(a, bt))).toEqual([19, 22, 43, 50]);
  });

  it('sort of a known array (stable; NaN last ascending, first descending)', () => {
    const x = vec([3, 1, NaN, 2, 1, -0, 0]);
    const asc = be.sort(x, 0, false);
    expect(Array.from(asc.values)).toEqual([-0, 0, 1, 1, 2, 3, NaN]);
    expect(Array.from(asc.indices)).toEqual([5, 6, 1, 4, 3, 0, 2]);
    const desc = be.sort(x, 0, true);
    expect(Array.from(desc.values)).toEqual([NaN, 3, 2, 1, 1, -0, 0]);
    expect(Array.from(desc.indices)).toEqual([2, 0, 3, 1, 4, 5, 6]);
  });

  it('gather, scatterAdd, indexSelect, concat on small known tensors', () => {
    const x = vec([1, 2, 3, 4, 5, 6], 'float64', [2, 3]);
    expect(Array.from(be.gather(x, 1, vec([2, 0, 1, 1], 'int32', [2, 2])))).toEqual([3, 1, 5, 5]);
    const z = vec([0, 0, 0, 0, 0, 0], 'float64', [2, 3]);
    expect(Array.from(be.scatterAdd(z, 1, vec([0, 0, 2, 1], 'int32', [2, 2]), vec([1, 2, 3, 4], 'float64', [2, 2])))).toEqual([3, 0, 0, 0, 4, 3]);
    expect(Array.from(be.indexSelect(x, 0, vec([1, 1, 0], 'int32')))).toEqual([4, 5, 6, 4, 5, 6, 1, 2, 3]);
    expect(Array.from(be.concat([x, vec([7, 8], 'float64', [2, 1])], 1))).toEqual([1, 2, 3, 7, 4, 5, 6, 8]);
  });
});
