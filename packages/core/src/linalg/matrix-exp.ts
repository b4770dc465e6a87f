/** The matrix exponential, by scaling and squaring with a Taylor polynomial, in Tensor ops (differentiable to any order). */
import type { Tensor } from '../tensor.js';
import { checkMatrix, eyeLike } from './util.js';

/** Taylor degree: for ‖X‖₁ ≤ 1 the remainder is below ‖X‖¹⁹/19! ≈ 8e-18, under float64's half ulp. */
const DEGREE = 18;

/**
 * exp(A) = (T₁₈(A / 2ˢ))^(2ˢ), with s the smallest integer making ‖A / 2ˢ‖₁ ≤ 1 over the batch and
 * T₁₈ evaluated by Horner's rule: T = I + X(I + X/2(I + … (I + X/18))).
 */
export function matrixExp(a: Tensor): Tensor {
  checkMatrix('matrixExp', a);
  const n = a.shape[a.ndim - 1];
  if (a.size === 0) return a.mul(1);
  // Host read of one number (the largest 1-norm) to pick the number of squarings, as PyTorch does.
  const norm = a.detach().abs().sum(-2).amax().item();
  const s = norm > 1 ? Math.ceil(Math.log2(norm)) : 0;
  const x = a.div(2 ** s);
  const eye = eyeLike(a, n);
  let t = eye;
  for (let k = DEGREE; k >= 1; k--) t = x.matmul(t).div(k).add(eye);
  for (let i = 0; i < s; i++) t = t.matmul(t);
  return t;
}
