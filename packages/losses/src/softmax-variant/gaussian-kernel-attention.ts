import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { attentionKeep, maskedAttentionSoftmax, qkvArgs } from '../parts/attention-mask.js';

const options = {
  sigma: opt.number(1, 'σ, the kernel\'s bandwidth.', '(0, inf)'),
  rowNormalize: opt.boolean(true, 'Divide each row of the kernel by its sum (a softmax of −‖q − k‖²/2σ²); false: the raw kernel.'),
  mask: opt.tensor(['...'], 'Bool (or 0/1) mask broadcastable to [..., T, S]: false entries get weight 0.', 'any'),
  causal: opt.boolean(false, 'Query i attends to keys j ≤ i only.'),
};
export type GaussianKernelAttentionOptions = OptionsOf<typeof options>;

/**
 * Gaussian-kernel attention: attention weights from a Gaussian kernel of the query–key distance instead of exp of
 * their dot product.
 *
 * S_ij = exp(−‖q_i − k_j‖²/(2σ²)); row-normalised (default) S_ij/Σ_j S_ij, computed as the max-shifted softmax over j
 * of −‖q_i − k_j‖²/(2σ²); output S V. ‖q_i − k_j‖² is summed from the differences themselves (not ‖q‖² + ‖k‖² − 2q·k,
 * which cancels), so it is never negative. Masked entries get weight 0 (a fully masked row gives 0).
 *
 * @param q queries [..., T, D]
 * @param k keys [..., S, D]
 * @param v values [..., S, E]
 * @param opts sigma (default 1), rowNormalize (default true), mask, causal (default false)
 * @returns the attention output [..., T, E] (not a loss: there is no reduction)
 * @see Song et al., Unraveling the Gradient Descent Dynamics of Transformers, NeurIPS 2024
 *
 * Reading: the kernel is row-normalised by default (a softmax of −‖q − k‖²/2σ², the catalog's stable form); with
 * rowNormalize false the output is the raw kernel times V. The paper's squared loss ½‖f(X) − Y‖² on the output is left
 * to mse-loss.
 */
export function gaussianKernelAttention(...args: Call<[q: Tensor, k: Tensor, v: Tensor], GaussianKernelAttentionOptions>): Tensor {
  const [q, k, v, { sigma, rowNormalize, mask, causal }] = entry.check(args);
  const sq = q.unsqueeze(-2).sub(k.unsqueeze(-3)).square().sum(-1); // ‖q_i − k_j‖² [..., T, S]
  const logits = sq.div(-2 * sigma * sigma);
  const keep = attentionKeep(logits, { mask, causal });
  if (rowNormalize) return maskedAttentionSoftmax(logits, keep).matmul(v);
  const s = logits.exp(); // ≤ 1: no overflow
  return (keep ? keep.where(s, 0) : s).matmul(v);
}

export const entry = defineLoss({
  id: 'gaussian-kernel-attention',
  fn: gaussianKernelAttention,
  args: qkvArgs,
  options,
  output: 'batch',
  reading: 'The kernel is row-normalised by default (a softmax of −‖q − k‖²/2σ², the catalog\'s stable form); rowNormalize false gives the raw kernel times V. The paper\'s squared training loss on the output is left to mse-loss.',
});
