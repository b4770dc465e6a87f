import type { DType, TypedArray } from '../dtype.js';
import type { Shape } from '../shape.js';

/**
 * A strided view of a backend buffer: how a tensor reaches a backend. Views (reshape, permute,
 * expand, slice, ...) are metadata in core, so a primitive may receive a non-contiguous view,
 * a view with stride 0 on expanded (broadcast) dims, or a view with an offset. Element
 * (i0, ..., ik) lives at `buffer[offset + Σ ij * strides[j]]`. A backend that prefers dense
 * inputs calls its own `contiguous` first.
 */
export interface View<B = unknown> {
  readonly buffer: B;
  readonly dtype: DType;
  readonly shape: Shape;
  readonly strides: readonly number[];
  readonly offset: number;
}

// ---- op names: every elementwise op graft knows, and the ones every backend must implement ----

export const unaryOps = [
  'neg', 'abs', 'sign', 'exp', 'expm1', 'log', 'log1p', 'sqrt', 'sin', 'cos', 'tanh', 'sigmoid',
  'erf', 'floor', 'ceil', 'round', 'reciprocal',
] as const;
export const binaryOps = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum',
  'lt', 'le', 'gt', 'ge', 'eq', 'ne', 'and', 'or',
] as const;
export const reduceOps = ['sum', 'prod', 'max', 'min'] as const;
export const argReduceOps = ['argmax', 'argmin'] as const;

export type UnaryOp = (typeof unaryOps)[number];
export type BinaryOp = (typeof binaryOps)[number];
export type ReduceOp = (typeof reduceOps)[number];
export type ArgReduceOp = (typeof argReduceOps)[number];

/** The unary ops of the required tier: the ones core cannot compose exactly enough from others. */
export const requiredUnaryOps = ['exp', 'expm1', 'log', 'log1p', 'sqrt', 'sin', 'cos', 'erf', 'floor'] as const satisfies readonly UnaryOp[];
/** The binary ops of the required tier: arithmetic, `lt` and `eq` (every other comparison is composed from these two). */
export const requiredBinaryOps = ['add', 'mul', 'div', 'pow', 'lt', 'eq'] as const satisfies readonly BinaryOp[];

export type RequiredUnaryOp = (typeof requiredUnaryOps)[number];
export type RequiredBinaryOp = (typeof requiredBinaryOps)[number];
/** Unary ops a backend may accelerate (neg, abs, sign, tanh, sigmoid, ceil, round, reciprocal); core composes the rest. */
export type AcceleratedUnaryOp = Exclude<UnaryOp, RequiredUnaryOp>;
/** Binary ops a backend may accelerate (sub, maximum, minimum, le, gt, ge, ne, and, or); core composes the rest. */
export type AcceleratedBinaryOp = Exclude<BinaryOp, RequiredBinaryOp>;

export const acceleratedUnaryOps: readonly AcceleratedUnaryOp[] = unaryOps.filter(
  (op): op is AcceleratedUnaryOp => !(requiredUnaryOps as readonly UnaryOp[]).includes(op));
export const acceleratedBinaryOps: readonly AcceleratedBinaryOp[] = binaryOps.filter(
  (op): op is AcceleratedBinaryOp => !(requiredBinaryOps as readonly BinaryOp[]).includes(op));

/** Binary ops whose result is a bool tensor whatever the input dtype (read from the semantics table). */
export { comparisonOps } from './scalar.js';

/** Optional fused kernels; core composes primitives when a backend lacks one. */
export interface FusedKernels<B> {
  /** log Σ exp over `axis` (max-shifted); output is x.shape without `axis`. */
  logsumexp?(x: View<B>, axis: number): B;
  /** softmax over `axis`; output has x.shape. */
  softmax?(x: View<B>, axis: number): B;
  /** log-softmax over `axis`; output has x.shape. */
  logSoftmax?(x: View<B>, axis: number): B;
  /**
   * Softmax cross-entropy with class-index targets, rows along the last axis: x [N, C] (float),
   * target [N] (int32, each in [0, C) or equal to `ignoreIndex`). Returns, both [N] in x's dtype,
   * `loss` = logsumexp(xᵢ) − xᵢ[tᵢ] (0 where tᵢ = ignoreIndex) and `lse` = logsumexp(xᵢ), which
   * `crossEntropyBackward` takes back.
   */
  crossEntropy?(x: View<B>, target: View<B>, ignoreIndex: number): { loss: B; lse: B };
  /**
   * The gradient of `crossEntropy`'s loss: out[i, c] = (exp(x[i, c] − lseᵢ) − [c = tᵢ])·gᵢ, a row of
   * 0 where tᵢ = ignoreIndex, and a row of NaN where lseᵢ is not finite (softmax is NaN there).
   * x [N, C]; lse, target, g [N]; output [N, C] in x's dtype.
   */
  crossEntropyBackward?(x: View<B>, lse: View<B>, target: View<B>, g: View<B>, ignoreIndex: number): B;
}

/** What `sort` returns: the int32 source indices, and the sorted values when the backend has them at no extra cost. */
export interface SortResult<B> {
  /** int32, x.shape: where each sorted element came from along the axis. */
  readonly indices: B;
  /** x's dtype, x.shape (optional: core gathers them from x through `indices` when absent). */
  readonly values?: B;
}

/**
 * The required tier: what every backend implements (27 primitives: 6 storage, 9 unary and 6 binary
 * ops, where, reduce, matmul, gather, scatterAdd and sort's indices). Every method returns a NEW
 * dense row-major buffer (never aliasing an input: autograd keeps inputs alive and relies on them
 * not changing). Core guarantees before calling a primitive:
 * - shapes already agree (binary/where inputs are broadcast to one shape with stride-0 views);
 * - both operands of a binary op have the same dtype (core promotes and casts first);
 * - axes are normalised to [0, ndim), sorted and unique;
 * - index tensors are int32 and in range (core validates them);
 * - the dtype is one the backend lists in `dtypes`.
 * Float ops run in the input's precision; int32 arithmetic wraps like C int32; bool is 0/1. The
 * scalar rule of every elementwise op is `unaryRules`/`binaryRules` in `./scalar.ts`.
 */
export interface RequiredPrimitives<B = any> {
  /** The name the backend reports in errors (its registry name is chosen by `registerBackend`). */
  readonly name: string;
  /** The dtypes this backend stores; core raises a DtypeError for any other. */
  readonly dtypes: readonly DType[];

  // ---- storage (6) ------------------------------------------------------------
  /** Copies `data` (length = number of elements) into a new buffer of `dtype`; `data` stays the caller's. */
  fromArray(data: TypedArray, dtype: DType): B;
  /** Synchronously, a dense row-major copy of the view as the typed array of its dtype (bool: Uint8Array of 0/1). */
  read(x: View<B>): TypedArray;
  /** A buffer of `size` elements all equal to `value` (already converted to the dtype by core). */
  fill(size: number, value: number, dtype: DType): B;
  /** Frees the buffer; core calls it once, when the last tensor holding it goes. A no-op for garbage-collected storage. */
  dispose(buffer: B): void;
  /** Converts values (float → int truncates toward zero; anything → bool is `!= 0`, NaN is true). */
  cast(x: View<B>, dtype: DType): B;
  /** A dense row-major copy of a (possibly strided) view. */
  contiguous(x: View<B>): B;

  // ---- elementwise (9 + 6 + 1) ----------------------------------------------------
  /** Same dtype and shape as x, by `unaryRules[op]`. Floats only (core computes int and bool inputs in float32). */
  unary(op: RequiredUnaryOp, x: View<B>): B;
  /**
   * a and b have the same shape and dtype; by `binaryRules[op]`. Arithmetic keeps that dtype (int
   * `div` is not asked for: core casts to float); `lt` and `eq` return bool.
   */
  binary(op: RequiredBinaryOp, a: View<B>, b: View<B>): B;
  /** cond is bool; cond, a, b share one shape; a, b one dtype. */
  where(cond: View<B>, a: View<B>, b: View<B>): B;

  // ---- reduction, linear algebra, indexing (5) ---------------------------------------
  /**
   * Reduces over `axes` (sorted, unique, possibly empty = copy); output shape is x.shape with
   * those axes removed. An empty reduction gives 0 for sum and 1 for prod (core rejects empty
   * max/min). max/min propagate NaN. Sums and products accumulate in row-major order.
   */
  reduce(op: ReduceOp, x: View<B>, axes: readonly number[]): B;
  /** a: [...batch, M, K], b: [...batch, K, N] (the same batch shape, maybe stride 0); output [...batch, M, N]. */
  matmul(a: View<B>, b: View<B>): B;
  /** out[...i, j, k...] = x[...i, index[...i, j, k...], k...] along `axis`; output has index.shape. */
  gather(x: View<B>, axis: number, index: View<B>): B;
  /** A copy of x with src[...] added at x[..., index[...], ...] along `axis` (index.shape = src.shape). */
  scatterAdd(x: View<B>, axis: number, index: View<B>, src: View<B>): B;
  /**
   * Stable sort along `axis` (argsort): the int32 source indices, and optionally the values. NaN
   * sorts last ascending and first descending; ties keep their order in both directions.
   */
  sort(x: View<B>, axis: number, descending: boolean): SortResult<B>;
}

/**
 * The accelerated tier: ops a backend MAY implement for speed. For each one it lacks, core composes
 * the op from required primitives (`completeBackend` in ./fallbacks.ts), and the conformance
 * suite checks the backend's own version against that composition and the reference.
 */
export interface AcceleratedPrimitives<B = any> {
  /** The elementwise ops beyond the required ones that this backend's `unary` and `binary` also accept. */
  readonly accelerated: { readonly unary?: readonly AcceleratedUnaryOp[]; readonly binary?: readonly AcceleratedBinaryOp[] };
  /** int32 index of the first max/min along `axis` (NaN counts as the max); shape without `axis`. */
  argReduce(op: ArgReduceOp, x: View<B>, axis: number): B;
  /** Inclusive prefix sum along `axis`; same shape. */
  cumsum(x: View<B>, axis: number): B;
  /** Picks entries of the 1-d int32 `index` along `axis`; output size along axis = index length. */
  indexSelect(x: View<B>, axis: number, index: View<B>): B;
  /** Joins views that agree on every dim but `axis`; output is dense. */
  concat(xs: readonly View<B>[], axis: number): B;
  /** Fused softmax-family kernels (each optional too; core's composition is the definition). */
  readonly fused: FusedKernels<B>;
}

/**
 * The backend contract: the required tier, any part of the accelerated tier, and an optional
 * asynchronous read. `docs/backends.md` walks through writing one.
 */
export interface Backend<B = any> extends RequiredPrimitives<B>, Partial<AcceleratedPrimitives<B>> {
  /**
   * A dense row-major copy of the view, delivered asynchronously (WebGPU, WebGL 2 fences, a
   * worker). Optional: core falls back to `read`. Called by `dataAsync()`, `toArrayAsync()` and
   * `itemAsync()`; the buffer stays valid until the promise settles.
   */
  readAsync?(x: View<B>): Promise<TypedArray>;
}

/**
 * A backend with every op present: what core's gate (ops/primitives.ts) calls. `completeBackend`
 * builds one from any Backend, composing what it lacks. The fused kernels stay optional: core's
 * Tensor-level composition (ops/reduce.ts) stands in for them.
 */
export interface CompleteBackend<B = any> extends Omit<RequiredPrimitives<B>, 'unary' | 'binary' | 'sort'>, Omit<AcceleratedPrimitives<B>, 'accelerated' | 'fused'> {
  /** Any unary op, by `unaryRules[op]`. */
  unary(op: UnaryOp, x: View<B>): B;
  /** Any binary op, by `binaryRules[op]`. */
  binary(op: BinaryOp, a: View<B>, b: View<B>): B;
  /** Stable sort along `axis`: values and int32 indices. */
  sort(x: View<B>, axis: number, descending: boolean): { values: B; indices: B };
  /** `readAsync`, or `read` when the backend has no asynchronous read. */
  readAsync(x: View<B>): Promise<TypedArray>;
  readonly fused?: FusedKernels<B>;
}

/** A backend that implements both tiers itself, every elementwise op included (the reference and CPU backends). */
export interface FullBackend<B = any> extends Omit<CompleteBackend<B>, 'readAsync' | 'fused'>, Pick<Backend<B>, 'readAsync' | 'fused'> {
  readonly accelerated: { readonly unary: readonly AcceleratedUnaryOp[]; readonly binary: readonly AcceleratedBinaryOp[] };
}

export type BackendFactory = () => Backend;
