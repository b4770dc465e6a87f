/**
 * Primitive-level checks of a Backend object against the reference backend (the definition of
 * every primitive): the same storage contents and the same views go to both, on odd shapes (0-size,
 * scalars, 1×N) and odd layouts (permuted strides, offsets, stride 0), in every dtype the backend
 * lists. Every op of both tiers is checked, on one of two paths: 'accelerated' (the backend's own
 * ops where it has them) or 'composed' (its required tier only; core composes the rest). Each check
 * is a plain function that throws listing its first mismatches; conformance.ts turns each into a test.
 */
import type { Backend, CompleteBackend, View } from '../backend/backend.js';
import { completeBackend, requiredTier } from '../backend/fallbacks.js';
import { argReduceOps, binaryOps, comparisonOps, reduceOps, unaryOps, type BinaryOp, type UnaryOp } from '../backend/backend.js';
import { createReferenceBackend } from '../backend/reference.js';
import { arrayFor, isFloat, type DType, type TypedArray } from '../dtype.js';
import { Generator } from '../random.js';
import { contiguousStrides, numel } from '../shape.js';
import { allclose, tolFor } from './allclose.js';

export interface PrimitiveCheck { name: string; run: () => void }

// ---- layouts: one logical shape, several ways to lay it out in a buffer ---------------------------

type LayoutName = 'contiguous' | 'permuted' | 'strided' | 'broadcast';
const layoutNames: readonly LayoutName[] = ['contiguous', 'permuted', 'strided', 'broadcast'];

interface Layout { name: LayoutName; strides: number[]; offset: number }

/** The layout, or null where it means nothing for this shape (a permuted 1-d tensor, a broadcast dim of size 1). */
function layoutOf(shape: readonly number[], name: LayoutName): Layout | null {
  switch (name) {
    case 'contiguous': return { name, strides: contiguousStrides(shape), offset: 0 };
    case 'permuted': { // stored with its dims reversed (a transposed matrix), after 2 unused elements
      if (shape.length < 2) return null;
      return { name, strides: contiguousStrides([...shape].reverse()).reverse(), offset: 2 };
    }
    case 'strided': return { name, strides: contiguousStrides(shape).map((s) => 2 * s), offset: 1 }; // every other element
    case 'broadcast': { // the first dim of size > 1 has stride 0
      const d = shape.findIndex((s) => s > 1);
      if (d < 0) return null;
      const base = [...shape];
      base[d] = 1;
      const strides = contiguousStrides(base);
      strides[d] = 0;
      return { name, strides, offset: 1 };
    }
    default: return name satisfies never;
  }
}

const layoutsOf = (shape: readonly number[]): Layout[] =>
  layoutNames.map((n) => layoutOf(shape, n)).filter((l): l is Layout => l !== null);

function storageSize(shape: readonly number[], l: Layout): number {
  if (numel(shape) === 0) return l.offset;
  return l.offset + shape.reduce((s, d, i) => s + (d - 1) * l.strides[i], 0) + 1;
}

/** A logical array: its shape, layout and the full storage contents (garbage where the view never looks). */
interface Arr { shape: number[]; layout: Layout; data: number[]; dtype: DType }

type Values = (n: number) => number[];

function arr(shape: number[], layout: Layout, dtype: DType, values: Values): Arr {
  return { shape, layout, dtype, data: values(storageSize(shape, layout)) };
}

const describeArr = (a: Arr): string => `${a.dtype}[${a.shape.join(',')}] ${a.layout.name}`;

function viewOn(b: CompleteBackend, a: Arr): View {
  const typed = arrayFor(a.dtype, a.data.length);
  a.data.forEach((v, i) => { typed[i] = v; });
  return { buffer: b.fromArray(typed, a.dtype), dtype: a.dtype, shape: a.shape, strides: a.layout.strides, offset: a.layout.offset };
}

const dense = (buffer: unknown, shape: readonly number[], dtype: DType): View =>
  ({ buffer, dtype, shape, strides: contiguousStrides(shape), offset: 0 });

// ---- values ---------------------------------------------------------------------------------------

const FLOAT_SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 0.5, 2.5, -1.5];

function valueSources(seed: number) {
  const g = new Generator(seed);
  const pick = <T>(xs: readonly T[]): T => xs[g.integer(0, xs.length)];
  return {
    /** Normals with special values mixed in (floats); small ints with some near ±2^30 (int32); 0/1 (bool). */
    general: (dtype: DType): Values => (n) => Array.from({ length: n }, () => {
      if (dtype === 'bool') return g.integer(0, 2);
      if (dtype === 'int32') return g.uniform() < 0.1 ? pick([1, -1]) * (2 ** 30 + g.integer(0, 1000)) : g.integer(-20, 21);
      return g.uniform() < 0.15 ? pick(FLOAT_SPECIALS) : 2 * g.normal();
    }),
    /** Few distinct values (ties), and NaN for floats. */
    ties: (dtype: DType): Values => (n) => Array.from({ length: n }, () => {
      if (dtype === 'bool') return g.integer(0, 2);
      if (isFloat(dtype) && g.uniform() < 0.1) return NaN;
      return g.integer(-3, 4);
    }),
    /** Integers in [lo, hi). */
    ints: (lo: number, hi: number): Values => (n) => Array.from({ length: n }, () => g.integer(lo, hi)),
    /** Finite floats (no specials). */
    finite: (): Values => (n) => Array.from({ length: n }, () => g.normal()),
  };
}

// ---- comparison -----------------------------------------------------------------------------------

class Mismatches {
  private failures: string[] = [];
  private compared = 0;
  constructor(private readonly test: CompleteBackend, private readonly ref: CompleteBackend) {}

  /** Runs both backends through `call` and compares the dense results read back. */
  check(label: string, call: (b: CompleteBackend) => unknown, shape: readonly number[], dtype: DType): void {
    try {
      const expected = this.ref.read(dense(call(this.ref), shape, dtype));
      const actual = this.test.read(dense(call(this.test), shape, dtype));
      this.compareArrays(label, actual, expected, dtype);
    } catch (e) {
      this.compared++;
      this.failures.push(`${label}: threw ${(e as Error).message}`);
    }
  }

  compareArrays(label: string, actual: TypedArray, expected: TypedArray, dtype: DType): void {
    this.compared++;
    if (actual.constructor !== expected.constructor) {
      this.failures.push(`${label}: read returned a ${actual.constructor.name}, expected ${expected.constructor.name}`);
      return;
    }
    const r = allclose(actual, expected, tolFor(dtype));
    if (!r.ok) this.failures.push(`${label}: ${r.message}`);
  }

  done(): void {
    if (this.compared === 0) throw new Error('no comparisons ran');
    if (this.failures.length) {
      throw new Error(`${this.failures.length} of ${this.compared} comparisons failed:\n  ${this.failures.slice(0, 10).join('\n  ')}`);
    }
  }
}

// ---- the checks -------------------------------------------------------------------------------------

const ELEMENTWISE_SHAPES = [[], [0], [5], [1, 5], [3, 4], [0, 3], [2, 3, 4]];
/** Unary ops that core also calls on int32 (the rest compute ints as float32). */
const INT_UNARY: ReadonlySet<UnaryOp> = new Set(['neg', 'abs', 'sign']);

/** The dtypes a binary op is asked for: core casts to bool for and/or, to float for div. */
function binaryDtypes(op: BinaryOp): DType[] {
  if (op === 'and' || op === 'or') return ['bool'];
  if (op === 'div') return ['float32', 'float64'];
  if (op === 'sub' || op === 'pow') return ['float32', 'float64', 'int32'];
  return ['float32', 'float64', 'int32', 'bool'];
}

/** Every subset of [0, n). */
const subsets = (n: number): number[][] =>
  Array.from({ length: 2 ** n }, (_, m) => [...Array(n).keys()].filter((i) => (m >> i) & 1));

/** Which ops a check runs: the backend's own accelerated ones, or core's compositions over its required tier. */
export type PrimitivePath = 'accelerated' | 'composed';

export function primitiveChecks(backend: Backend, path: PrimitivePath = 'accelerated'): PrimitiveCheck[] {
  const test = completeBackend(path === 'composed' ? requiredTier(backend) : backend);
  const ref = completeBackend(createReferenceBackend());
  const has = (d: DType) => test.dtypes.includes(d);
  const dtypes = test.dtypes.filter(has);
  const checks: PrimitiveCheck[] = [];
  const add = (name: string, seed: number, body: (m: Mismatches, v: ReturnType<typeof valueSources>) => void) =>
    checks.push({ name, run: () => { const m = new Mismatches(test, ref); body(m, valueSources(seed)); m.done(); } });

  // ---- storage ----
  add('fromArray/read round trip', 1, (m, v) => {
    for (const dtype of dtypes) {
      for (const n of [0, 1, 7]) {
        const data = arrayFor(dtype, n);
        v.general(dtype)(n).forEach((x, i) => { data[i] = x; });
        m.compareArrays(`${dtype}[${n}]`, test.read(dense(test.fromArray(data, dtype), [n], dtype)), data, dtype);
      }
    }
  });
  add('fill', 2, (m) => {
    for (const dtype of dtypes) {
      for (const n of [0, 1, 7]) {
        for (const value of [0, 1, -1.5, 2.5, NaN]) m.check(`fill(${n}, ${value}) ${dtype}`, (b) => b.fill(n, value, dtype), [n], dtype);
      }
    }
  });
  add('contiguous of views', 3, (m, v) => {
    for (const dtype of dtypes) {
      for (const shape of ELEMENTWISE_SHAPES) {
        for (const l of layoutsOf(shape)) {
          const a = arr(shape, l, dtype, v.general(dtype));
          m.check(`contiguous ${describeArr(a)}`, (b) => b.contiguous(viewOn(b, a)), shape, dtype);
          m.check(`read ${describeArr(a)}`, (b) => b.fromArray(b.read(viewOn(b, a)), dtype), shape, dtype);
        }
      }
    }
  });
  add('cast between all dtype pairs', 4, (m, v) => {
    const src = (dtype: DType): Values => (n) => v.general(dtype)(n).map((x, i) => (isFloat(dtype) && i % 5 === 3 ? x * 1e9 + 0.7 : x));
    for (const from of dtypes) {
      for (const to of dtypes) {
        for (const shape of [[], [0, 2], [3, 4], [2, 3, 4]]) {
          for (const l of layoutsOf(shape)) {
            const a = arr(shape, l, from, src(from));
            m.check(`cast ${describeArr(a)} -> ${to}`, (b) => b.cast(viewOn(b, a), to), shape, to);
          }
        }
      }
    }
  });

  // ---- elementwise ----
  for (const op of unaryOps) {
    add(`unary ${op}`, 10, (m, v) => {
      for (const dtype of dtypes.filter((d) => isFloat(d) || (d === 'int32' && INT_UNARY.has(op)))) {
        for (const shape of ELEMENTWISE_SHAPES) {
          for (const l of layoutsOf(shape)) {
            const a = arr(shape, l, dtype, v.general(dtype));
            m.check(`${op} ${describeArr(a)}`, (b) => b.unary(op, viewOn(b, a)), shape, dtype);
          }
        }
      }
    });
  }
  for (const op of binaryOps) {
    add(`binary ${op}`, 11, (m, v) => {
      for (const dtype of binaryDtypes(op).filter(has)) {
        // int32 pow: small bases, exponents from -2 (the documented truncated results) to 7; comparisons: many ties
        const tied = op === 'eq' || op === 'ne' || op === 'le' || op === 'ge';
        const [va, vb] = op === 'pow' && dtype === 'int32' ? [v.ints(-4, 5), v.ints(-2, 8)]
          : tied ? [v.ties(dtype), v.ties(dtype)] : [v.general(dtype), v.general(dtype)];
        const out = comparisonOps.has(op) ? 'bool' : dtype;
        for (const shape of ELEMENTWISE_SHAPES) {
          const ls = layoutsOf(shape);
          ls.forEach((la, i) => {
            const a = arr(shape, la, dtype, va);
            const b2 = arr(shape, ls[(i + 1) % ls.length], dtype, vb);
            m.check(`${op} ${describeArr(a)}, ${describeArr(b2)}`, (b) => b.binary(op, viewOn(b, a), viewOn(b, b2)), shape, out);
          });
        }
      }
    });
  }
  add('where', 12, (m, v) => {
    for (const dtype of dtypes) {
      for (const shape of ELEMENTWISE_SHAPES) {
        const ls = layoutsOf(shape);
        ls.forEach((la, i) => {
          const c = arr(shape, ls[(i + 2) % ls.length], 'bool', v.general('bool'));
          const a = arr(shape, la, dtype, v.general(dtype));
          const b2 = arr(shape, ls[(i + 1) % ls.length], dtype, v.general(dtype));
          m.check(`where ${describeArr(c)}, ${describeArr(a)}, ${describeArr(b2)}`, (b) => b.where(viewOn(b, c), viewOn(b, a), viewOn(b, b2)), shape, dtype);
        });
      }
    }
  });

  // ---- reductions and scans ----
  add('reduce over every axis subset', 20, (m, v) => {
    for (const op of reduceOps) {
      const opDtypes = dtypes.filter((d) => d !== 'bool' || op === 'max' || op === 'min');
      for (const dtype of opDtypes) {
        // prod of int32: |values| <= 3, so products stay exact in float64 before wrapping
        const values = op === 'prod' && dtype === 'int32' ? v.ints(-3, 4) : v.general(dtype);
        for (const shape of [[2, 3, 4], [2, 0, 3], [5], []]) {
          for (const axes of subsets(shape.length)) {
            if ((op === 'max' || op === 'min') && axes.some((a) => shape[a] === 0)) continue; // core rejects these
            for (const l of layoutsOf(shape)) {
              const a = arr(shape, l, dtype, values);
              const outShape = shape.filter((_, i) => !axes.includes(i));
              m.check(`${op} ${describeArr(a)} axes [${axes}]`, (b) => b.reduce(op, viewOn(b, a), axes), outShape, dtype);
            }
          }
        }
      }
    }
  });
  add('argReduce (first index wins, NaN wins)', 21, (m, v) => {
    for (const op of argReduceOps) {
      for (const dtype of dtypes) {
        for (const shape of [[2, 3, 4], [0, 3], [1, 5], []]) {
          for (let axis = 0; axis < Math.max(shape.length, 1); axis++) {
            if (shape.length > 0 && shape[axis] === 0) continue; // core rejects these
            for (const l of layoutsOf(shape)) {
              const a = arr(shape, l, dtype, v.ties(dtype));
              m.check(`${op} ${describeArr(a)} axis ${axis}`, (b) => b.argReduce(op, viewOn(b, a), axis), shape.filter((_, i) => i !== axis), 'int32');
            }
          }
        }
      }
    }
  });
  add('cumsum', 22, (m, v) => {
    for (const dtype of dtypes.filter((d) => d !== 'bool')) {
      for (const shape of [[2, 3, 4], [0, 3], [1, 5], [6]]) {
        for (let axis = 0; axis < shape.length; axis++) {
          for (const l of layoutsOf(shape)) {
            const a = arr(shape, l, dtype, v.general(dtype));
            m.check(`cumsum ${describeArr(a)} axis ${axis}`, (b) => b.cumsum(viewOn(b, a), axis), shape, dtype);
          }
        }
      }
    }
  });

  // ---- matmul ----
  add('matmul (batch broadcast as stride-0 views)', 30, (m, v) => {
    const pairs = [[[3, 4], [4, 5]], [[2, 3, 4], [2, 4, 5]], [[1, 5], [5, 1]], [[2, 0], [0, 3]], [[0, 3], [3, 2]],
      [[2, 2, 3, 2], [2, 2, 2, 4]], [[3, 0, 2], [3, 2, 4]]];
    for (const dtype of dtypes.filter((d) => d !== 'bool')) {
      const values = dtype === 'int32' ? v.ints(-20, 21) : v.finite();
      for (const [sa, sb] of pairs) {
        const la = layoutsOf(sa);
        const lb = layoutsOf(sb);
        for (let i = 0; i < Math.max(la.length, lb.length); i++) {
          const a = arr(sa, la[i % la.length], dtype, values);
          const b2 = arr(sb, lb[(i + 1) % lb.length], dtype, values);
          const out = [...sa.slice(0, -1), sb[sb.length - 1]];
          m.check(`matmul ${describeArr(a)} @ ${describeArr(b2)}`, (b) => b.matmul(viewOn(b, a), viewOn(b, b2)), out, dtype);
        }
      }
    }
  });

  // ---- indexing ----
  /** (x shape, axis, index shape) for gather and scatterAdd. */
  const gathers: [number[], number, number[]][] = [[[3, 4], 0, [2, 4]], [[3, 4], 1, [3, 5]], [[2, 3, 4], 1, [2, 2, 4]], [[3, 4], 1, [3, 0]], [[], 0, []]];
  add('gather', 40, (m, v) => {
    for (const dtype of dtypes) {
      for (const [xs, axis, is] of gathers) {
        const lx = layoutsOf(xs);
        const li = layoutsOf(is);
        lx.forEach((l, i) => {
          const x = arr(xs, l, dtype, v.general(dtype));
          const index = arr(is, li[i % li.length], 'int32', v.ints(0, xs.length ? xs[axis] : 1));
          m.check(`gather ${describeArr(x)} axis ${axis} index ${describeArr(index)}`, (b) => b.gather(viewOn(b, x), axis, viewOn(b, index)), is, dtype);
        });
      }
    }
  });
  add('scatterAdd (duplicate indices accumulate)', 41, (m, v) => {
    const cases: [number[], number, number[]][] = [[[3, 4], 0, [5, 4]], [[3, 4], 1, [3, 2]], [[2, 3, 2], 1, [2, 4, 2]], [[3, 4], 0, [0, 4]]];
    for (const dtype of dtypes.filter((d) => d !== 'bool')) {
      const values = dtype === 'int32' ? v.general(dtype) : v.finite();
      for (const [xs, axis, is] of cases) {
        const lx = layoutsOf(xs);
        const li = layoutsOf(is);
        lx.forEach((l, i) => {
          const x = arr(xs, l, dtype, values);
          const index = arr(is, li[i % li.length], 'int32', v.ints(0, xs[axis]));
          const src = arr(is, li[(i + 1) % li.length], dtype, values);
          m.check(`scatterAdd ${describeArr(x)} axis ${axis} index ${describeArr(index)} src ${describeArr(src)}`,
            (b) => b.scatterAdd(viewOn(b, x), axis, viewOn(b, index), viewOn(b, src)), xs, dtype);
        });
      }
    }
  });
  add('indexSelect', 42, (m, v) => {
    for (const dtype of dtypes) {
      for (const [xs, axis, n] of [[[3, 4], 0, 5], [[3, 4], 1, 2], [[2, 3, 4], 2, 6], [[3, 4], 0, 0]] as [number[], number, number][]) {
        const lx = layoutsOf(xs);
        const li = layoutsOf([n]);
        lx.forEach((l, i) => {
          const x = arr(xs, l, dtype, v.general(dtype));
          const index = arr([n], li[i % li.length], 'int32', v.ints(0, xs[axis]));
          const out = xs.map((s, d) => (d === axis ? n : s));
          m.check(`indexSelect ${describeArr(x)} axis ${axis} index ${describeArr(index)}`, (b) => b.indexSelect(viewOn(b, x), axis, viewOn(b, index)), out, dtype);
        });
      }
    }
  });
  add('sort (stable, ties and NaN)', 43, (m, v) => {
    for (const dtype of dtypes) {
      for (const shape of [[3, 5], [2, 3, 4], [2, 0], [7]]) {
        for (let axis = 0; axis < shape.length; axis++) {
          for (const descending of [false, true]) {
            for (const l of layoutsOf(shape)) {
              const x = arr(shape, l, dtype, v.ties(dtype));
              const label = `sort ${describeArr(x)} axis ${axis}${descending ? ' descending' : ''}`;
              m.check(`${label} values`, (b) => b.sort(viewOn(b, x), axis, descending).values, shape, dtype);
              m.check(`${label} indices`, (b) => b.sort(viewOn(b, x), axis, descending).indices, shape, 'int32');
            }
          }
        }
      }
    }
  });
  add('concat', 44, (m, v) => {
    const cases: [number[][], number][] = [[[[2, 3], [2, 1], [2, 0], [2, 2]], 1], [[[1, 3], [2, 3], [0, 3]], 0], [[[2, 1, 2], [2, 3, 2]], 1], [[[4]], 0]];
    for (const dtype of dtypes) {
      for (const [shapes, axis] of cases) {
        for (let rot = 0; rot < layoutNames.length; rot++) {
          const xs = shapes.map((s, j) => {
            const ls = layoutsOf(s);
            return arr(s, ls[(j + rot) % ls.length], dtype, v.general(dtype));
          });
          const out = [...shapes[0]];
          out[axis] = shapes.reduce((n, s) => n + s[axis], 0);
          m.check(`concat axis ${axis}: ${xs.map(describeArr).join(', ')}`, (b) => b.concat(xs.map((x) => viewOn(b, x)), axis), out, dtype);
        }
      }
    }
  });
  return checks;
}
