import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { offDiagonal } from '../parts/contrastive-infonce.js';
import { cosineSimilarityMatrix, squaredEuclideanMatrix } from '../parts/distances.js';

const options = {
  kernel: opt.oneOf(['cosine', 'gaussian', 'student-t'] as const, 'cosine', "q's log-kernel: 'cosine' cos(f_i, f_j)/τ (SimCLR, SupCon), 'gaussian' −‖f_i − f_j‖²/τ (SNE), 'student-t' −log(1 + ‖f_i − f_j‖²/τ) (t-SNE)."),
  tau: opt.number(0.5, 'τ: the kernel\'s temperature or width; the catalog gives none, 0.5 is SimCLR\'s temperature for the cosine kernel.', '(0, inf)'),
  debias: opt.number(0, 'a: debiasing weight, p̃ = (1 − a)·p + a/(N − 1) off the diagonal (0: no debiasing).', '[0, 1]'),
  reduction: opt.reduction(),
};
export type IConOptions = OptionsOf<typeof options>;

/**
 * I-Con: the integrated KL divergence between a supervisory neighbour distribution p(j|i) and the learned one
 * q(j|i), which specialises to SNE/t-SNE, SimCLR/InfoNCE, SupCon, cross-entropy and clustering by the choice of p
 * and the kernel.
 *
 * q(·|i) = softmax_{j≠i}(k(f_i, f_j)), p̃ = (1 − a)·p + a/(N − 1) off the diagonal (the diagonal of p is ignored);
 * ℓᵢ = KL(p̃(·|i) ‖ q(·|i)) = Σ_{j≠i} p̃_ij·(log p̃_ij − log q_ij). Stable form: log q from a max-shifted logSoftmax
 * with the diagonal at −∞, p̃ log p̃ through xlogy (0·log 0 = 0). A batch of one has no neighbour: 0.
 *
 * @param input embeddings f [N, D]
 * @param target supervisory neighbour distributions p(j|i) [N, N] (rows sum to 1 off the diagonal)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Alshammari et al., "I-Con: A Unifying Framework for Representation Learning", ICLR 2025
 */
export function iConLoss(...args: Call<[input: Tensor, target: Tensor], IConOptions>): Tensor {
  const [input, target, { kernel, tau, debias, reduction }] = entry.check(args);
  const n = input.shape[0];
  if (n < 2) return applyReduction(input.sum(-1).mul(0), { reduction });
  const k = kernel === 'cosine' ? cosineSimilarityMatrix(input, input).div(tau)
    : kernel === 'gaussian' ? squaredEuclideanMatrix(input, input).div(-tau)
      : squaredEuclideanMatrix(input, input).div(tau).log1p().neg();
  const off = offDiagonal(n, input);
  const logq = k.maskedFill(off.logicalNot(), -Infinity).logSoftmax(-1);
  const p = off.where(target.mul(1 - debias).add(debias / (n - 1)), 0);
  return applyReduction(p.xlogy(p).sub(off.where(logq, 0).mul(p)).sum(-1), { reduction });
}

export const entry = defineLoss({
  id: 'i-con',
  fn: iConLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'N'], dtype: 'float', domain: 'simplex' },
  ],
  options,
  output: 'per-sample',
  reading: 'The integrated KL with p given as a tensor and q a softmax over j ≠ i of one of three log-kernels; τ = 0.5 and a = 0 are choices (the row gives no defaults).',
});
