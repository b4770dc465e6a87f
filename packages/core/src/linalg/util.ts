/**
 * Shared parts of the linalg ops: input checks, the host round trip (read a batch of matrices as
 * float64, build results on the input's backend with fromTyped, so they stay on A's backend,
 * GPU included) and small matrix helpers written in Tensor ops.
 */
import { fromTyped } from '../creation.js';
import { ArgumentError, DtypeError, ShapeError, fmtShape } from '../errors.js';
import { numel } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** Raises unless A is a float tensor of rank ≥ 2 (and square when asked), as torch.linalg does. */
export function checkMatrix(op: string, a: Tensor, { square = true } = {}): void {
  if (a.dtype !== 'float32' && a.dtype !== 'float64') {
    throw new DtypeError(op, `got dtype ${a.dtype}, expected float32 or float64`);
  }
  if (a.ndim < 2) throw new ShapeError(op, `got a tensor of shape ${fmtShape(a.shape)}, expected at least 2 dims (a batch of matrices)`);
  if (square && a.shape[a.ndim - 1] !== a.shape[a.ndim - 2]) {
    throw new ShapeError(op, `got a tensor of shape ${fmtShape(a.shape)}, expected a batch of square matrices`);
  }
}

/** Raises an ArgumentError unless `value` is one of `allowed`. */
export function checkOption<T>(op: string, name: string, value: T, allowed: readonly T[]): void {
  if (!allowed.includes(value)) {
    throw new ArgumentError(op, `got ${name} = ${JSON.stringify(value)}, expected one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`);
  }
}

export const batchOf = (a: Tensor): number[] => a.shape.slice(0, -2);

/** The matrices of A (dense, row-major) as float64 copies, one per batch entry. */
export function hostMatrices(a: Tensor): Float64Array[] {
  const [m, n] = a.shape.slice(-2);
  const data = a.data(); // host read: the decompositions run on the host in float64
  return Array.from({ length: numel(batchOf(a)) }, (_, b) => Float64Array.from(data.subarray(b * m * n, (b + 1) * m * n)));
}

/** A tensor of `shape` on `like`'s backend and dtype from per-batch host results (each the flat row-major values of one entry). */
export function hostTensor(like: Tensor, shape: readonly number[], parts: readonly ArrayLike<number>[]): Tensor {
  const size = parts.length ? numel(shape) / parts.length : 0;
  const out = new Float64Array(numel(shape));
  parts.forEach((p, b) => out.set(p, b * size));
  return fromTyped(out, shape, { dtype: like.dtype, backend: like.backendName });
}

// ---- matrix helpers in Tensor ops (differentiable) ------------------------------------------------

/** The n×n identity on `like`'s backend and dtype. */
export function eyeLike(like: Tensor, n: number): Tensor {
  const values = new Float64Array(n * n);
  for (let i = 0; i < n; i++) values[i * n + i] = 1;
  return fromTyped(values, [n, n], { dtype: like.dtype, backend: like.backendName });
}

/** Xᵀ over the last two dims. */
export const mT = (x: Tensor): Tensor => x.transpose(-2, -1);

/** The diagonal of square matrices [..., n, n] → [..., n]. */
export const diagonal = (x: Tensor): Tensor => x.mul(eyeLike(x, x.shape[x.ndim - 1])).sum(-1);

/** Diagonal matrices [..., n, n] from their diagonals [..., n]. */
export const diagEmbed = (v: Tensor): Tensor => v.unsqueeze(-1).mul(eyeLike(v, v.shape[v.ndim - 1]));

/** Batched matrices' shapes broadcast over their leading dims, or a ShapeError naming `op`. */
export function broadcastBatch(op: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new ShapeError(op, `batch dims ${fmtShape(a)} and ${fmtShape(b)} do not broadcast`);
    return x === 1 ? y : x;
  });
}
