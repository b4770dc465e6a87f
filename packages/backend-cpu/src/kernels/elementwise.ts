/**
 * Elementwise kernels: unary, binary, where, cast and contiguous copies.
 *
 * Each op is the expression string of its rule in core's semantics table (`unaryRules`,
 * `binaryRules`: `'Math.exp(x)'`, `'a + b'`), so this file holds no op semantics of its own. A loop is
 * generated around it with `new Function` and cached per (expression, arity, layout, dtypes), so
 * every loop is monomorphic and has no per-element function call to a closure. Two layouts:
 * - dense: every input is contiguous — one flat `for` over `in[offset + i]`;
 * - strided: dims are coalesced first, then an odometer walks the outer dims and a tight inner
 *   loop steps each input by its last-dim stride (0 for a broadcast dim).
 * Values are computed as float64 numbers and converted by the store into the output typed array:
 * float32 rounds once, int32 truncates and wraps (plus Math.imul for products, which would
 * otherwise lose bits past 2^53), bool is normalised to 0/1 explicitly.
 */
import {
  binaryRules, coalesce, contiguousStrides, isDense, numel, ruleExpr, scalarHelpers, unaryRules,
  type BinaryOp, type DType, type TypedArray, type UnaryOp,
} from '@graft/core/backend-kit';
import { type CpuView, uninit } from './strided.js';
import type { Config } from '../wasm/config.js';
import { runWasmUnary, wasmBinary, wasmUnary } from '../wasm/elementwise.js';

type Kernel = (out: TypedArray, n: number, shape: readonly number[] | null, ...inputs: unknown[]) => void;

/** Variable names of the input values inside an expression, by arity. */
const valueNames: Record<number, readonly string[]> = { 1: ['x'], 2: ['a', 'b'], 3: ['c', 'a', 'b'] };

/**
 * Dense layout; `scalar[k]` marks an input that is one value broadcast to the whole shape (all
 * strides 0, as core hands over `x.mul(2)`'s 2): it is loaded once, before the loop.
 */
function denseBody(arity: number, expr: string, scalar: readonly boolean[]): string {
  const names = valueNames[arity];
  const hoisted = names.map((v, k) => (scalar[k] ? `const ${v} = in${k}[of${k}];` : '')).join(' ');
  const loads = names.map((v, k) => (scalar[k] ? '' : `const ${v} = in${k}[of${k} + i];`)).join(' ');
  return `${hoisted} for (let i = 0; i < n; i++) { ${loads} out[i] = ${expr}; }`;
}

function stridedBody(arity: number, expr: string): string {
  const names = valueNames[arity];
  const each = (f: (k: number, v: string) => string) => names.map((v, k) => f(k, v)).join('\n');
  return `
    const nd = shape.length;
    const inner = shape[nd - 1];
    ${each((k) => `const s${k} = st${k}[nd - 1]; let p${k} = of${k};`)}
    const idx = new Int32Array(nd);
    let o = 0;
    for (;;) {
      ${each((k) => `let q${k} = p${k};`)}
      for (let j = 0; j < inner; j++) {
        ${each((k, v) => `const ${v} = in${k}[q${k}]; q${k} += s${k};`)}
        out[o++] = ${expr};
      }
      let d = nd - 2;
      for (; d >= 0; d--) {
        if (++idx[d] < shape[d]) { ${each((k) => `p${k} += st${k}[d];`)} break; }
        idx[d] = 0;
        ${each((k) => `p${k} -= st${k}[d] * (shape[d] - 1);`)}
      }
      if (d < 0) break;
    }`;
}

const kernels = new Map<string, Kernel>();

/** `scalar`: null for the strided layout, else which inputs of the dense layout are broadcast scalars. */
function kernelFor(expr: string, arity: number, scalar: readonly boolean[] | null, dtypeKey: string): Kernel {
  const key = `${arity}|${scalar ? `dense${scalar.map(Number).join('')}` : 'strided'}|${dtypeKey}|${expr}`;
  let k = kernels.get(key);
  if (!k) {
    const params = ['out', 'n', 'shape', ...valueNames[arity].flatMap((_, i) => [`in${i}`, `st${i}`, `of${i}`])];
    const body = scalar ? denseBody(arity, expr, scalar) : stridedBody(arity, expr);
    // The rules call Math and the table's helpers (erf, sigmoid, ...), passed in by name.
    const helpers = Object.entries(scalarHelpers);
    const make = new Function(...helpers.map(([name]) => name), `return function kernel(${params.join(', ')}) {${body}\n};`);
    k = make(...helpers.map(([, f]) => f)) as Kernel;
    kernels.set(key, k);
  }
  return k;
}

/** Runs `expr` over same-shaped views into a new dense buffer of `outDtype`. */
function map(expr: string, inputs: readonly CpuView[], outDtype: DType): TypedArray {
  const shape = inputs[0].shape;
  const n = numel(shape);
  const out = uninit(outDtype, n); // every element is written below
  if (n === 0) return out;
  const dtypeKey = `${inputs.map((x) => x.dtype).join(',')}>${outDtype}`;
  const scalar = inputs.map((x) => x.strides.every((st) => st === 0));
  if (inputs.every((x, k) => scalar[k] || isDense(x))) {
    const args = inputs.flatMap((x) => [x.buffer, null, x.offset]);
    kernelFor(expr, inputs.length, scalar, dtypeKey)(out, n, null, ...args);
  } else {
    const c = coalesce(shape, inputs.map((x) => x.strides));
    const args = inputs.flatMap((x, k) => [x.buffer, c.strides[k], x.offset]);
    kernelFor(expr, inputs.length, null, dtypeKey)(out, n, c.shape, ...args);
  }
  return out;
}

// A stored test is `+(test)`, not `(test ? 1 : 0)`: the same 0/1, without a branch, which on data
// whose outcome is random (relu's x ≤ 0 on activations) is mispredicted half the time, ten times
// the cost of the loop body.
const toBool = (expr: string): string => `+((${expr}) !== 0)`;
const branchFree = (expr: string): string => expr.replace(/^\((.*) \? 1 : 0\)$/s, '+($1)');

export function unary(op: UnaryOp, x: CpuView, cfg?: Config): TypedArray {
  // float32 exp/tanh/sigmoid: the SIMD polynomials, on a dense copy of a strided view (so every
  // layout gets bit-identical results)
  if (cfg && wasmUnary(op, x, cfg)) {
    return runWasmUnary(op, isDense(x) ? x : { ...x, buffer: contiguous(x), strides: contiguousStrides(x.shape), offset: 0 }, cfg);
  }
  const expr = ruleExpr(unaryRules[op], x.dtype);
  return map(x.dtype === 'bool' ? toBool(expr) : expr, [x], x.dtype);
}

export function binary(op: BinaryOp, a: CpuView, b: CpuView, cfg?: Config): TypedArray {
  const fast = cfg ? wasmBinary(op, a, b, cfg) : null; // float32 + − × ÷, dense or a broadcast scalar
  if (fast) return fast;
  const rule = binaryRules[op];
  const expr = ruleExpr(rule, a.dtype);
  if (rule.out === 'bool') return map(branchFree(expr), [a, b], 'bool');
  return map(a.dtype === 'bool' ? toBool(expr) : expr, [a, b], a.dtype);
}

export function where(cond: CpuView, a: CpuView, b: CpuView): TypedArray {
  return whereBits(cond, a, b) ?? map('(c !== 0 ? a : b)', [cond, a, b], a.dtype);
}

const isScalar = (x: CpuView): boolean => x.strides.every((st) => st === 0);
/** The int32 words of x's storage from element `offset` on (float32 and int32: one word per element). */
const words = (x: TypedArray, offset: number): Int32Array => new Int32Array(x.buffer, x.byteOffset + offset * 4, x.length - offset);

/**
 * where() on float32 and int32 as a bit select, out = (a & m) | (b & ~m) with m = −cond (all ones or
 * zero), when each operand is dense or one broadcast value: no branch on the condition (a mask like
 * relu's is random, and a branch mispredicted half the time costs several times the select).
 * Exact for every value, NaN payloads and −0 included. Null for other layouts and dtypes.
 */
function whereBits(cond: CpuView, a: CpuView, b: CpuView): TypedArray | null {
  const dtype = a.dtype;
  if ((dtype !== 'float32' && dtype !== 'int32') || cond.dtype !== 'bool' || isScalar(cond)) return null;
  if (!isDense(cond) || !(isDense(a) || isScalar(a)) || !(isDense(b) || isScalar(b))) return null;
  const n = numel(a.shape);
  const out = uninit(dtype, n);
  if (n === 0) return out; // (an empty view's offset may lie past its buffer)
  const c = (cond.buffer as Uint8Array).subarray(cond.offset);
  const [ai, bi, oi] = [words(a.buffer, a.offset), words(b.buffer, b.offset), words(out, 0)];
  // one loop per layout, each indexing from 0 (offsets folded into the views): the fastest form V8 compiles
  if (isScalar(a) && isScalar(b)) {
    const [av, bv] = [ai[0], bi[0]];
    for (let i = 0; i < n; i++) { const m = -c[i]; oi[i] = (av & m) | (bv & ~m); }
  } else if (isScalar(a)) {
    const av = ai[0];
    for (let i = 0; i < n; i++) { const m = -c[i]; oi[i] = (av & m) | (bi[i] & ~m); }
  } else if (isScalar(b)) {
    const bv = bi[0];
    for (let i = 0; i < n; i++) { const m = -c[i]; oi[i] = (ai[i] & m) | (bv & ~m); }
  } else {
    for (let i = 0; i < n; i++) { const m = -c[i]; oi[i] = (ai[i] & m) | (bi[i] & ~m); }
  }
  return out;
}

/** Converts values: the store truncates float → int32; anything → bool is `!= 0` (NaN is true). */
export function cast(x: CpuView, dtype: DType): TypedArray {
  const n = numel(x.shape);
  if (dtype !== 'bool' && isDense(x)) {
    const out = uninit(dtype, n);
    out.set(x.buffer.subarray(x.offset, x.offset + n)); // converts like the store does
    return out;
  }
  return map(dtype === 'bool' && x.dtype !== 'bool' ? toBool('x') : 'x', [x], dtype);
}

/** A dense row-major copy of a (possibly strided) view. */
export const contiguous = (x: CpuView): TypedArray => cast(x, x.dtype);
