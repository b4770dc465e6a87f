import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { sparsemaxThreshold } from '../parts/sparsemax-threshold.js';

const options = {
  dim: opt.integer(-1, 'The normalised axis.'),
};
export type SparsemaxOptions = OptionsOf<typeof options>;

/**
 * Sparsemax: the Euclidean projection of z onto the probability simplex, sparse where softmax is dense.
 *
 * sparsemax(z) = argmin_{p∈Δ} ‖p − z‖² = relu(z − τ(z)), with the closed form of the paper: sort z descending,
 * k(z) = max{k : 1 + k·z₍ₖ₎ > Σ_{j≤k} z₍ⱼ₎}, τ(z) = (Σ_{j≤k(z)} z₍ⱼ₎ − 1)/k(z). No exponentials, so logits of ±1e4 are
 * exact. The gradient is obtained through this composition (sort, cumsum, gather at k(z), relu) and equals the
 * paper's Jacobian J = diag(s) − s sᵀ/|S|, s the indicator of the support S = {j : zⱼ > τ}.
 *
 * @param z scores [..., n]
 * @param opts dim (default −1)
 * @returns a point of the simplex along dim, shaped like z (entries below τ are exactly 0)
 * @see Martins & Astudillo, From Softmax to Sparsemax: A Sparse Model of Attention and Multi-Label Classification,
 *   ICML 2016
 */
export function sparsemax(...args: Call<[z: Tensor], SparsemaxOptions>): Tensor {
  const [z, { dim }] = entry.check(args);
  return z.sub(sparsemaxThreshold(z, dim)).relu();
}

export const entry = defineLoss({
  id: 'sparsemax',
  fn: sparsemax,
  args: [{ name: 'z', shape: ['...', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'same-as-input',
});
