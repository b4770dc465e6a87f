/**
 * What the conformance suite does not reach in the cpu backend: the fused softmax-family kernels
 * against their float64 definitions and documented ±∞ results, the merge sort's long-line path
 * (lines past 16 elements, ±0 ties bit for bit), and the type test that every elementwise loop
 * comes from core's rule table. Everything else is runConformance('cpu') (conformance.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { createReferenceBackend } from '@graft/core';
import {
  binaryRules, contiguousStrides, denseView, unaryRules,
  type BinaryRules, type DType, type TypedArray, type UnaryRules, type View,
} from '@graft/core/backend-kit';
import { createCpuBackend } from '../src/index.js';

const cpu = createCpuBackend();
const ref = createReferenceBackend();
type V = View<TypedArray>;

/** A permuted (column-major) view of `values` laid out for `shape`. */
function columnMajor(values: TypedArray, shape: number[]): V {
  const strides = contiguousStrides([...shape].reverse()).reverse();
  return { buffer: values, dtype: values instanceof Float64Array ? 'float64' : 'float32', shape, strides, offset: 0 };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, dtype: DType, what: string): void {
  const [rtol, atol] = dtype === 'float32' ? [2e-6, 1e-6] : [1e-12, 1e-12];
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const [a, e] = [actual[i], expected[i]];
    if (Number.isNaN(e) ? Number.isNaN(a) : a === e || Math.abs(a - e) <= atol + rtol * Math.abs(e)) continue;
    expect.fail(`${what}: element ${i} is ${a}, expected ${e}`);
  }
}

describe('the semantics table is the only source of elementwise rules', () => {
  it('a table missing a rule does not compile', () => {
    const { round: _round, ...withoutRound } = unaryRules;
    const { ne: _ne, ...withoutNe } = binaryRules;
    // @ts-expect-error: every UnaryOp needs a rule (the cpu backend generates its loops from this table)
    const unary: UnaryRules = withoutRound;
    // @ts-expect-error: every BinaryOp needs a rule
    const binary: BinaryRules = withoutNe;
    expect(Object.keys(unary)).not.toContain('round');
    expect(Object.keys(binary)).not.toContain('ne');
  });
});

describe('fused kernels', () => {
  const fused = cpu.fused!;
  /** logsumexp of one line in float64, written out. */
  const lse = (v: number[]): number => {
    const m = Math.max(...v);
    return Number.isFinite(m) ? m + Math.log(v.reduce((s, x) => s + Math.exp(x - m), 0)) : v.length === 0 ? -Infinity : m;
  };
  it('match their float64 definitions along either axis of a column-major view', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const data = Array.from({ length: 12 }, (_, i) => Math.sin(i * 7.3) * 10);
      const values = dtype === 'float32' ? Float32Array.from(data) : Float64Array.from(data);
      const x = columnMajor(values, [3, 4]);
      const rows = ref.read(x);
      const line = (axis: number, i: number): number[] => (axis === 1 ? [0, 1, 2, 3].map((k) => rows[i * 4 + k]) : [0, 1, 2].map((k) => rows[k * 4 + i]));
      for (const axis of [0, 1]) {
        const n = axis === 1 ? 3 : 4;
        const lses = Array.from({ length: n }, (_, i) => lse(line(axis, i)));
        expectClose(fused.logsumexp!(x, axis), lses, dtype, `logsumexp axis ${axis} ${dtype}`);
        const soft = Array.from(rows, (v, j) => Math.exp(v - lses[axis === 1 ? Math.floor(j / 4) : j % 4]));
        expectClose(fused.softmax!(x, axis), soft, dtype, `softmax axis ${axis} ${dtype}`);
        expectClose(fused.logSoftmax!(x, axis), soft.map(Math.log), dtype, `logSoftmax axis ${axis} ${dtype}`);
      }
    }
  });

  it('stay finite at logits of ±1e4; documented results for ±∞ lines', () => {
    const x = denseView(Float64Array.from([1e4, 1e4, -1e4, 1e4]), [2, 2], 'float64');
    expectClose(fused.logsumexp!(x, 1), [1e4 + Math.LN2, 1e4], 'float64', 'lse ±1e4');
    expectClose(fused.softmax!(x, 1), [0.5, 0.5, 0, 1], 'float64', 'softmax ±1e4');
    expectClose(fused.logSoftmax!(x, 1), [-Math.LN2, -Math.LN2, -2e4, 0], 'float64', 'logSoftmax ±1e4');
    const inf = denseView(Float32Array.from([-Infinity, -Infinity, 1, Infinity]), [2, 2], 'float32');
    expectClose(fused.logsumexp!(inf, 1), [-Infinity, Infinity], 'float32', 'lse ±∞');
    expectClose(fused.softmax!(inf, 1), [NaN, NaN, NaN, NaN], 'float32', 'softmax ±∞');
    expectClose(fused.logSoftmax!(inf, 1), [NaN, NaN, -Infinity, NaN], 'float32', 'logSoftmax ±∞');
  });
});

describe('sort', () => {
  it('long lines take the merge path: stable, NaN placed, ±0 ties identical to the reference bit for bit', () => {
    const pool = [NaN, -0, 0, 1, -1, 2, 2.5, -3];
    const values = Float64Array.from({ length: 2 * 100 }, (_, i) => pool[(i * 7 + (i >> 3)) % pool.length]);
    for (const x of [denseView(values, [2, 100], 'float64'), columnMajor(values, [100, 2])]) {
      for (const axis of x.shape[0] === 2 ? [1] : [0]) {
        for (const descending of [false, true]) {
          const [c, r] = [cpu.sort(x, axis, descending), ref.sort(x, axis, descending)];
          expect(Array.from(c.indices)).toEqual(Array.from(r.indices));
          c.values.forEach((v, i) => { if (!Object.is(v, r.values[i])) expect.fail(`value ${i}: ${v} vs ${r.values[i]}`); });
        }
      }
    }
  });
});
