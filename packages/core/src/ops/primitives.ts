/**
 * The one gate from core into backends: a typed Tensor-level wrapper per backend primitive. Every
 * call core makes into a backend goes through this file (test/gate.test.ts fails when `.backend.`
 * appears elsewhere), and through `completeBackend`, so an accelerated op a backend lacks is
 * composed from its required primitives here, once, rather than at each call site.
 *
 * The wrappers check nothing: operands arrive validated, broadcast to one shape and cast to one
 * dtype by dispatch.ts and the op files. Each returns a new tensor on the operands' backend.
 */
import type { ArgReduceOp, BinaryOp, CompleteBackend, ReduceOp, UnaryOp, View } from '../backend/backend.js';
import { completeBackend } from '../backend/fallbacks.js';
import { getBackend } from '../backend/registry.js';
import { comparisonOps } from '../backend/scalar.js';
import type { DType, TypedArray } from '../dtype.js';
import { contiguousStrides, numel, type Shape } from '../shape.js';
import { Tensor } from '../tensor.js';

export function viewOf(t: Tensor): View {
  return { buffer: t.storage.buffer, dtype: t.dtype, shape: t.shape, strides: t.strides, offset: t.offset };
}

const kernels = (t: Tensor): CompleteBackend => completeBackend(t.storage.backend);

/** A tensor on `like`'s backend from a fresh dense buffer that backend produced. */
const wrapLike = (like: Tensor, buffer: unknown, shape: Shape, dtype: DType = like.dtype): Tensor =>
  new Tensor({ backend: like.storage.backend, backendName: like.backendName, buffer }, [...shape], contiguousStrides(shape), 0, dtype);

/** A tensor on the backend registered as `name` from a fresh dense buffer it produced. */
function wrapOn(name: string, buffer: unknown, shape: Shape, dtype: DType): Tensor {
  return new Tensor({ backend: getBackend(name), backendName: name, buffer }, [...shape], contiguousStrides(shape), 0, dtype);
}

// ---- storage ----------------------------------------------------------------------------------

/** The dtypes the backend registered as `name` stores. */
export const dtypesOn = (name: string): readonly DType[] => getBackend(name).dtypes;
/** The dtypes `t`'s backend stores. */
export const dtypesOf = (t: Tensor): readonly DType[] => t.storage.backend.dtypes;

/** Host values (already converted to `dtype`) uploaded to the backend registered as `name`. */
export const upload = (name: string, data: TypedArray, shape: Shape, dtype: DType): Tensor =>
  wrapOn(name, getBackend(name).fromArray(data, dtype), shape, dtype);
/** Host values on `like`'s backend: index maps, masks and other constants derived from shapes. */
export const fromHost = (like: Tensor, data: TypedArray, shape: Shape, dtype: DType): Tensor =>
  wrapLike(like, kernels(like).fromArray(data, dtype), shape, dtype);
/** `value` (already converted to `dtype`) at every element of `shape`, on the backend named `name`. */
export const fillOn = (name: string, shape: Shape, value: number, dtype: DType): Tensor =>
  wrapOn(name, getBackend(name).fill(numel(shape), value, dtype), shape, dtype);
/** `value` at every element of `shape`, on `like`'s backend. */
export const fill = (like: Tensor, shape: Shape, value: number, dtype: DType): Tensor =>
  wrapLike(like, kernels(like).fill(numel(shape), value, dtype), shape, dtype);

/** A dense row-major copy of the values, synchronously. */
export const read = (t: Tensor): TypedArray => kernels(t).read(viewOf(t));
/** A dense row-major copy of the values: the backend's `readAsync`, else its `read`. */
export const readAsync = (t: Tensor): Promise<TypedArray> => kernels(t).readAsync(viewOf(t));

export const cast = (t: Tensor, dtype: DType): Tensor => wrapLike(t, kernels(t).cast(viewOf(t), dtype), t.shape, dtype);
export const contiguous = (t: Tensor): Tensor => wrapLike(t, kernels(t).contiguous(viewOf(t)), t.shape);
/** The values of `t` on the backend registered as `name` (read on the host, uploaded there). */
export function copyTo(t: Tensor, name: string): Tensor {
  getBackend(name); // an unknown name fails before the read
  return upload(name, read(t), t.shape, t.dtype);
}

// ---- compute ----------------------------------------------------------------------------------

export const unary = (op: UnaryOp, x: Tensor): Tensor => wrapLike(x, kernels(x).unary(op, viewOf(x)), x.shape);
/** a and b: one shape, one dtype. Comparisons give bool. */
export const binary = (op: BinaryOp, a: Tensor, b: Tensor): Tensor =>
  wrapLike(a, kernels(a).binary(op, viewOf(a), viewOf(b)), a.shape, comparisonOps.has(op) ? 'bool' : a.dtype);
export const where = (cond: Tensor, a: Tensor, b: Tensor): Tensor =>
  wrapLike(a, kernels(a).where(viewOf(cond), viewOf(a), viewOf(b)), a.shape);
/** `shape` is the result's (keepdim already applied). */
export const reduce = (op: ReduceOp, x: Tensor, axes: readonly number[], shape: Shape): Tensor =>
  wrapLike(x, kernels(x).reduce(op, viewOf(x), axes), shape);
export const argReduce = (op: ArgReduceOp, x: Tensor, axis: number, shape: Shape): Tensor =>
  wrapLike(x, kernels(x).argReduce(op, viewOf(x), axis), shape, 'int32');
export const cumsum = (x: Tensor, axis: number): Tensor => wrapLike(x, kernels(x).cumsum(viewOf(x), axis), x.shape);
/** a: [...batch, M, K], b: [...batch, K, N] with one batch shape; `shape` is [...batch, M, N]. */
export const matmul = (a: Tensor, b: Tensor, shape: Shape): Tensor => wrapLike(a, kernels(a).matmul(viewOf(a), viewOf(b)), shape);
export const gather = (x: Tensor, axis: number, index: Tensor): Tensor =>
  wrapLike(x, kernels(x).gather(viewOf(x), axis, viewOf(index)), index.shape);
export const scatterAdd = (x: Tensor, axis: number, index: Tensor, src: Tensor): Tensor =>
  wrapLike(x, kernels(x).scatterAdd(viewOf(x), axis, viewOf(index), viewOf(src)), x.shape);
/** index: 1-d int32. */
export const indexSelect = (x: Tensor, axis: number, index: Tensor): Tensor =>
  wrapLike(x, kernels(x).indexSelect(viewOf(x), axis, viewOf(index)), x.shape.map((s, d) => (d === axis ? index.size : s)));
/** Stable sort along `axis`: values (x's dtype) and int32 indices, both of x's shape. */
export function sort(x: Tensor, axis: number, descending: boolean): { values: Tensor; indices: Tensor } {
  const { values, indices } = kernels(x).sort(viewOf(x), axis, descending);
  return { values: wrapLike(x, values, x.shape), indices: wrapLike(x, indices, x.shape, 'int32') };
}
/** Views that agree on every dim but `axis`, on one backend; `shape` is the result's. */
export const concat = (xs: readonly Tensor[], axis: number, shape: Shape): Tensor =>
  wrapLike(xs[0], kernels(xs[0]).concat(xs.map(viewOf), axis), shape);

/** The backend's fused softmax-family kernel along `axis` (result of `shape`), or null when it has none. */
export function fused(kind: 'logsumexp' | 'softmax' | 'logSoftmax', x: Tensor, axis: number, shape: Shape): Tensor | null {
  const kernel = kernels(x).fused?.[kind];
  return kernel ? wrapLike(x, kernel.call(kernels(x).fused, viewOf(x), axis), shape) : null;
}

/** The backend's fused softmax cross-entropy (x [N, C], target [N]): per-row loss and logsumexp, or null when it has none. */
export function fusedCrossEntropy(x: Tensor, target: Tensor, ignoreIndex: number): { loss: Tensor; lse: Tensor } | null {
  const f = kernels(x).fused;
  if (!f?.crossEntropy) return null;
  const { loss, lse } = f.crossEntropy(viewOf(x), viewOf(target), ignoreIndex);
  return { loss: wrapLike(x, loss, [x.shape[0]]), lse: wrapLike(x, lse, [x.shape[0]]) };
}
/** Its gradient with respect to x, given the per-row upstream gradient g [N], or null when the backend has no such kernel. */
export function fusedCrossEntropyBackward(x: Tensor, lse: Tensor, target: Tensor, g: Tensor, ignoreIndex: number): Tensor | null {
  const f = kernels(x).fused;
  if (!f?.crossEntropyBackward) return null;
  return wrapLike(x, f.crossEntropyBackward(viewOf(x), viewOf(lse), viewOf(target), viewOf(g), ignoreIndex), x.shape);
}
