import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  newtonIters: opt.integer(20, 'Newton–Schulz iterations of the pseudo-inverse.', '[1, inf)'),
  normalize: opt.boolean(false, 'Symmetric normalisation D^{−1/2} Ŝ D^{−1/2}, D = diag(Ŝ1) (the dense-prediction variant); false: Ŝ as it is.'),
};
export type SoftGaussianKernelAttentionOptions = OptionsOf<typeof options>;

/** exp(−‖a_i − b_j‖²/(2√d)) [..., P, R], the squared distance summed from differences (never negative). */
const kernel = (a: Tensor, b: Tensor): Tensor => {
  const d = a.shape[a.ndim - 1];
  return a.unsqueeze(-2).sub(b.unsqueeze(-3)).square().sum(-1).div(-2 * Math.sqrt(d)).exp();
};

/** Newton–Schulz iteration A ← 2A − A B A from A₀ = Bᵀ/(‖B‖₁‖B‖∞): converges to the Moore–Penrose pseudo-inverse of B. */
function newtonPinv(b: Tensor, iters: number): Tensor {
  const norm1 = b.abs().sum(-2, true).amax(-1, true); // max column sum
  const normInf = b.abs().sum(-1, true).amax(-2, true); // max row sum
  let a = b.transpose(-2, -1).div(norm1.mul(normInf));
  for (let i = 0; i < iters; i++) a = a.mul(2).sub(a.matmul(b).matmul(a));
  return a;
}

/**
 * SOFT: softmax-free attention with a Gaussian kernel of the (shared) query–key tokens, made linear by a Nyström
 * low-rank approximation through m bottleneck tokens.
 *
 * S(a, b)_ij = exp(−‖a_i − b_j‖²/(2√d)); with K = Q, S ≈ Ŝ = S(Q, Q̃) S(Q̃, Q̃)⁺ S(Q̃, Q), the pseudo-inverse by
 * `newtonIters` Newton–Schulz steps A_{k+1} = 2A_k − A_k B A_k, A_0 = Bᵀ/(‖B‖₁‖B‖∞); output Ŝ V, multiplied right to
 * left so no n×n matrix is formed. With `normalize`, D^{−1/2} Ŝ D^{−1/2} V, D = diag(Ŝ1) from the same factors. The
 * gradient is autograd through the iterations (the catalog's alternative to a custom pinv backward: exact for the
 * computed iterate, more memory). Kernel entries are ≤ 1, so nothing overflows.
 *
 * @param q the shared query/key tokens Q = K [..., n, D]
 * @param v values [..., n, E]
 * @param bottleneck the m bottleneck tokens Q̃ [..., m, D] (pooled or sampled from Q by the caller; 49 in the paper)
 * @param opts newtonIters (default 20), normalize (default false)
 * @returns the attention output [..., n, E] (not a loss: there is no reduction). With `normalize`, a row whose
 *   approximate degree (Ŝ1)_i is not positive gives NaN (the Nyström Ŝ is positive semi-definite, not entrywise positive).
 * @see Lu et al., Softmax-free Linear Transformers, IJCV 2024 (extending SOFT: Softmax-free Transformer with Linear
 *   Complexity, NeurIPS 2021)
 */
export function softGaussianKernelAttention(...args: Call<[q: Tensor, v: Tensor, bottleneck: Tensor], SoftGaussianKernelAttentionOptions>): Tensor {
  const [q, v, bottleneck, { newtonIters, normalize }] = entry.check(args);
  if (!Number.isInteger(newtonIters) || newtonIters < 0) throw new ArgumentError('softGaussianKernelAttention', `newtonIters must be a non-negative integer, got ${newtonIters}`);
  const left = kernel(q, bottleneck); // S(Q, Q̃) [..., n, m]
  const pinv = newtonPinv(kernel(bottleneck, bottleneck), newtonIters); // [..., m, m]
  const right = left.transpose(-2, -1); // S(Q̃, Q) = S(Q, Q̃)ᵀ [..., m, n]
  if (!normalize) return left.matmul(pinv.matmul(right.matmul(v)));
  const degree = left.matmul(pinv.matmul(right.sum(-1, true))); // Ŝ1 [..., n, 1]
  const dInvSqrt = degree.rsqrt();
  return left.matmul(pinv.matmul(right.matmul(v.mul(dInvSqrt)))).mul(dInvSqrt);
}

export const entry = defineLoss({
  id: 'soft-gaussian-kernel-attention',
  fn: softGaussianKernelAttention,
  args: [
    { name: 'q', shape: ['...', 'T', 'D'], dtype: 'float', domain: 'real' },
    { name: 'v', shape: ['...', 'T', 'E'], dtype: 'float', domain: 'real' },
    { name: 'bottleneck', shape: ['...', 'M', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
});
