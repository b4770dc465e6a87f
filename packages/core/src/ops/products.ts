/**
 * Strict matrix products (PyTorch's mm, bmm, baddbmm: exact ranks, no broadcasting of the
 * operands, unlike matmul) and the Kronecker product. All are compositions of matmul and
 * elementwise ops, so their gradients (to any order) come from those.
 */
import { DtypeError, ShapeError, fmtShape } from '../errors.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';

function checkNumeric(op: string, ...xs: Tensor[]): void {
  const bad = xs.find((x) => x.dtype === 'bool');
  if (bad) throw new DtypeError(op, `expected numeric tensors, got ${xs.map((x) => x.dtype).join(' and ')}`);
}

/** a [n, m] @ b [m, p] → [n, p]; both must be matrices (PyTorch's torch.mm). */
export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2 || b.ndim !== 2) {
    throw new ShapeError('mm', `got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}, expected two matrices (2-d)`);
  }
  if (a.shape[1] !== b.shape[0]) {
    throw new ShapeError('mm', `shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} cannot be multiplied (${a.shape[1]} ≠ ${b.shape[0]}), expected a [n, m] and b [m, p]`);
  }
  checkNumeric('mm', a, b);
  return a.matmul(b);
}

/** Batched a [B, n, m] @ b [B, m, p] → [B, n, p], one batch size, no broadcasting (torch.bmm). */
export function bmm(a: Tensor, b: Tensor): Tensor {
  checkBmm('bmm', a, b);
  return a.matmul(b);
}

function checkBmm(op: string, a: Tensor, b: Tensor): void {
  if (a.ndim !== 3 || b.ndim !== 3) {
    throw new ShapeError(op, `got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}, expected two 3-d batches of matrices`);
  }
  if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
    throw new ShapeError(op, `got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}, expected [B, n, m] and [B, m, p] with one B and one m`);
  }
  checkNumeric(op, a, b);
}

export interface BaddbmmOptions { beta?: number; alpha?: number }

/**
 * beta·input + alpha·(b1 @ b2), batched as bmm; input broadcasts to [B, n, p]. With beta = 0 the
 * input is ignored (its NaN and ∞ do not propagate), as PyTorch documents.
 */
export function baddbmm(input: Tensor, b1: Tensor, b2: Tensor, { beta = 1, alpha = 1 }: BaddbmmOptions = {}): Tensor {
  checkBmm('baddbmm', b1, b2);
  const outShape = [b1.shape[0], b1.shape[1], b2.shape[2]];
  const shape = broadcastShapes('baddbmm', input.shape, outShape);
  if (shape.length !== 3 || shape.some((s, i) => s !== outShape[i])) {
    throw new ShapeError('baddbmm', `input of shape ${fmtShape(input.shape)} does not broadcast to the product's shape ${fmtShape(outShape)}`);
  }
  const prod = b1.matmul(b2);
  const scaled = alpha === 1 ? prod : prod.mul(alpha);
  if (beta === 0) return scaled;
  return scaled.add(beta === 1 ? input : input.mul(beta));
}

/**
 * Kronecker product: shapes right-aligned (the shorter padded with leading 1s), out[i·sb + j] =
 * a[i]·b[j] per dim, so out.shape = a.shape ⊙ b.shape. Computed as an interleaved broadcast product.
 */
export function kron(a: Tensor, b: Tensor): Tensor {
  checkNumeric('kron', a, b);
  const n = Math.max(a.ndim, b.ndim);
  const sa = [...Array(n - a.ndim).fill(1), ...a.shape];
  const sb = [...Array(n - b.ndim).fill(1), ...b.shape];
  // a as [a0, 1, a1, 1, ...] times b as [1, b0, 1, b1, ...] → [a0, b0, a1, b1, ...].
  const prod = a.reshape(sa.flatMap((s) => [s, 1])).mul(b.reshape(sb.flatMap((s) => [1, s])));
  return prod.reshape(sa.map((s, i) => s * sb[i]));
}
