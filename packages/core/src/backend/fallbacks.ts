/**
 * Core's side of the two tiers: every accelerated op composed from required primitives.
 * `completeBackend(b)` is what core calls: b's own op where b has it, the composition below where
 * it does not. `requiredTier(b)` hides b's accelerated ops, so the conformance suite can check the
 * compositions on every backend (docs/backends.md §2).
 */
import type {
  AcceleratedBinaryOp, AcceleratedUnaryOp, ArgReduceOp, Backend, BinaryOp, CompleteBackend, UnaryOp, View,
} from './backend.js';
import { requiredBinaryOps, requiredUnaryOps } from './backend.js';
import { compose, type Composer } from './composer.js';
import { alongAxes, asLine, denseView } from './strided.js';

type UnaryComposition = <B>(k: Composer<B>, x: View<B>) => View<B>;
type BinaryComposition = <B>(k: Composer<B>, a: View<B>, b: View<B>) => View<B>;

const abs: UnaryComposition = (k, x) => k.where(k.binary('lt', x, k.scalar(0, x)), k.neg(x), x);

/** Each accelerated unary op in required ones; values agree with `unaryRules` (±0 may differ in sign). */
export const unaryCompositions: { readonly [op in AcceleratedUnaryOp]: UnaryComposition } = {
  neg: (k, x) => k.neg(x),
  abs,
  sign: (k, x) => k.where(k.binary('lt', k.scalar(0, x), x), k.scalar(1, x), k.where(k.binary('lt', x, k.scalar(0, x)), k.scalar(-1, x), x)),
  reciprocal: (k, x) => k.binary('div', k.scalar(1, x), x),
  // 1/(1 + e^-x): e^-x = ∞ gives 0, never NaN
  sigmoid: (k, x) => k.binary('div', k.scalar(1, x), k.binary('add', k.scalar(1, x), k.unary('exp', k.neg(x)))),
  // tanh|x| = −t/(t + 2) with t = expm1(−2|x|) in (−1, 0]: no overflow, and no cancellation near 0
  tanh: (k, x) => {
    const t = k.unary('expm1', k.binary('mul', abs(k, x), k.scalar(-2, x)));
    const y = k.binary('div', k.neg(t), k.binary('add', t, k.scalar(2, x)));
    return k.where(k.binary('lt', x, k.scalar(0, x)), k.neg(y), y);
  },
  ceil: (k, x) => k.neg(k.unary('floor', k.neg(x))),
  // Half to even: f = floor(x), d = x − f (exact); round up when d > ½, or d = ½ and f is odd.
  round: (k, x) => {
    const f = k.unary('floor', x);
    const d = k.binary('add', x, k.neg(f));
    const even = k.binary('eq', k.binary('mul', k.unary('floor', k.binary('mul', f, k.scalar(0.5, x))), k.scalar(2, x)), f);
    const up = k.or(k.binary('lt', k.scalar(0.5, x), d), k.and(k.binary('eq', d, k.scalar(0.5, x)), k.not(even)));
    return k.where(up, k.binary('add', f, k.scalar(1, x)), f);
  },
};

/** Each accelerated binary op in required ones (NaN propagation and int32 wrapping included). */
export const binaryCompositions: { readonly [op in AcceleratedBinaryOp]: BinaryComposition } = {
  sub: (k, a, b) => k.binary('add', a, k.neg(b)), // a − b is a + (−b) exactly, in floats and in wrapping int32
  // b != b (NaN) wins; else the larger (smaller); a NaN `a` survives because `lt` with NaN is false
  maximum: (k, a, b) => k.where(k.binary('eq', b, b), k.where(k.binary('lt', a, b), b, a), b),
  minimum: (k, a, b) => k.where(k.binary('eq', b, b), k.where(k.binary('lt', b, a), b, a), b),
  gt: (k, a, b) => k.binary('lt', b, a),
  le: (k, a, b) => k.or(k.binary('lt', a, b), k.binary('eq', a, b)),
  ge: (k, a, b) => k.or(k.binary('lt', b, a), k.binary('eq', a, b)),
  ne: (k, a, b) => k.not(k.binary('eq', a, b)),
  and: (k, a, b) => k.and(k.bool(a), k.bool(b)),
  or: (k, a, b) => k.or(k.bool(a), k.bool(b)),
};

const iota = (n: number, f: (i: number) => number): Int32Array => Int32Array.from({ length: n }, (_, i) => f(i));
const mask = (n: number, f: (i: number) => boolean): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (f(i) ? 1 : 0));

/** First index of the extreme along `axis`: min over { k : x[k] = extreme or x[k] is NaN } (len where none). */
function argReduce<B>(b: Backend<B>, op: ArgReduceOp, x0: View<B>, axis: number): B {
  const x = asLine(x0);
  return compose(b, (k) => {
    const kept = x.shape.map((_, d) => d).filter((d) => d !== axis);
    const extreme = alongAxes(k.reduce(op === 'argmax' ? 'max' : 'min', x, axis), x.shape, kept);
    const hit = k.or(k.binary('eq', x, extreme), k.isNan(x));
    const len = x.shape[axis];
    const position = k.alongAxis(iota(len, (i) => i), 'int32', x.shape, axis);
    return k.reduce('min', k.where(hit, position, k.constant(len, 'int32', x.shape)), axis);
  });
}

/** Inclusive scan by doubling (Hillis–Steele): y += y shifted by s, for s = 1, 2, 4, … < len. */
function cumsum<B>(b: Backend<B>, x0: View<B>, axis: number): B {
  const x = asLine(x0);
  const len = x.shape[axis];
  return compose(b, (k) => {
    let y = k.copy(x);
    for (let s = 1; s < len; s *= 2) {
      const from = k.alongAxis(iota(len, (i) => Math.max(i - s, 0)), 'int32', x.shape, axis);
      const inside = k.alongAxis(mask(len, (i) => i >= s), 'bool', x.shape, axis);
      y = k.binary('add', y, k.where(inside, k.gather(y, axis, from), k.scalar(0, y)));
    }
    return y;
  });
}

/** Each piece gathered to the output's length along `axis`, then chosen where its range lies. */
function concat<B>(b: Backend<B>, xs0: readonly View<B>[], axis: number): B {
  const xs = xs0.map(asLine);
  const total = xs.reduce((n, x) => n + x.shape[axis], 0);
  const shape = xs[0].shape.map((s, d) => (d === axis ? total : s));
  return compose(b, (k) => {
    let out: View<B> | null = null;
    let start = 0;
    for (const x of xs) {
      const [lo, len] = [start, x.shape[axis]];
      start += len;
      if (len === 0) continue;
      const piece = k.gather(x, axis, k.alongAxis(iota(total, (i) => Math.min(Math.max(i - lo, 0), len - 1)), 'int32', shape, axis));
      out = out === null ? piece : k.where(k.alongAxis(mask(total, (i) => i >= lo && i < lo + len), 'bool', shape, axis), piece, out);
    }
    return out ?? k.constant(0, xs[0].dtype, shape);
  });
}

const isRequiredUnary = (op: UnaryOp): op is (typeof requiredUnaryOps)[number] => (requiredUnaryOps as readonly UnaryOp[]).includes(op);
const isRequiredBinary = (op: BinaryOp): op is (typeof requiredBinaryOps)[number] => (requiredBinaryOps as readonly BinaryOp[]).includes(op);

function complete<B>(b: Backend<B>): CompleteBackend<B> {
  const ownUnary = new Set<UnaryOp>(b.accelerated?.unary ?? []);
  const ownBinary = new Set<BinaryOp>(b.accelerated?.binary ?? []);
  // A backend that lists an accelerated op accepts it in `unary`/`binary` (the Backend JSDoc's promise).
  const anyUnary = b.unary as (op: UnaryOp, x: View<B>) => B;
  const anyBinary = b.binary as (op: BinaryOp, a: View<B>, c: View<B>) => B;
  return {
    name: b.name,
    dtypes: b.dtypes,
    fromArray: (data, dtype) => b.fromArray(data, dtype),
    read: (x) => b.read(x),
    // Without readAsync: read now (while the buffer is surely alive), and report a failure as a rejection.
    readAsync: (x) => (b.readAsync ? b.readAsync(x) : new Promise((resolve) => resolve(b.read(x)))),
    fill: (size, value, dtype) => b.fill(size, value, dtype),
    dispose: (buffer) => b.dispose(buffer),
    cast: (x, dtype) => b.cast(x, dtype),
    contiguous: (x) => b.contiguous(x),
    unary: (op, x) => (isRequiredUnary(op) || ownUnary.has(op) ? anyUnary.call(b, op, x) : compose(b, (k) => unaryCompositions[op](k, x))),
    binary: (op, x, y) => (isRequiredBinary(op) || ownBinary.has(op) ? anyBinary.call(b, op, x, y) : compose(b, (k) => binaryCompositions[op](k, x, y))),
    where: (cond, x, y) => b.where(cond, x, y),
    reduce: (op, x, axes) => b.reduce(op, x, axes),
    argReduce: (op, x, axis) => (b.argReduce ? b.argReduce(op, x, axis) : argReduce(b, op, x, axis)),
    cumsum: (x, axis) => (b.cumsum ? b.cumsum(x, axis) : cumsum(b, x, axis)),
    matmul: (x, y) => b.matmul(x, y),
    gather: (x, axis, index) => b.gather(x, axis, index),
    scatterAdd: (x, axis, index, src) => b.scatterAdd(x, axis, index, src),
    indexSelect: (x, axis, index) => {
      if (b.indexSelect) return b.indexSelect(x, axis, index);
      const line = asLine(x);
      return b.gather(line, axis, alongAxes(index, line.shape.map((s, d) => (d === axis ? index.shape[0] : s)), [axis]));
    },
    sort: (x, axis, descending) => {
      const { indices, values } = b.sort(x, axis, descending);
      const line = asLine(x);
      return { indices, values: values ?? b.gather(line, axis, denseView(indices, line.shape, 'int32')) };
    },
    concat: (xs, axis) => (b.concat ? b.concat(xs, axis) : concat(b, xs, axis)),
    fused: b.fused,
  };
}

const completed = new WeakMap<Backend, CompleteBackend>();

/** `b` with every op present: its own where it has one, core's composition where it does not (cached per backend). */
export function completeBackend<B>(b: Backend<B>): CompleteBackend<B> {
  let c = completed.get(b);
  if (!c) completed.set(b, (c = complete(b)));
  return c;
}

/** `b` reduced to the required tier (its accelerated ops and sort values hidden): the composed path, for tests. */
export function requiredTier<B>(b: Backend<B>): Backend<B> {
  return {
    name: b.name,
    dtypes: b.dtypes,
    fromArray: (data, dtype) => b.fromArray(data, dtype),
    read: (x) => b.read(x),
    fill: (size, value, dtype) => b.fill(size, value, dtype),
    dispose: (buffer) => b.dispose(buffer),
    cast: (x, dtype) => b.cast(x, dtype),
    contiguous: (x) => b.contiguous(x),
    unary: (op, x) => b.unary(op, x),
    binary: (op, x, y) => b.binary(op, x, y),
    where: (cond, x, y) => b.where(cond, x, y),
    reduce: (op, x, axes) => b.reduce(op, x, axes),
    matmul: (x, y) => b.matmul(x, y),
    gather: (x, axis, index) => b.gather(x, axis, index),
    scatterAdd: (x, axis, index, src) => b.scatterAdd(x, axis, index, src),
    sort: (x, axis, descending) => {
      const { indices, values } = b.sort(x, axis, descending);
      if (values !== undefined) b.dispose(values);
      return { indices };
    },
  };
}
