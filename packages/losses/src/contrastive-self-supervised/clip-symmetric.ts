import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { diagonalCrossEntropy } from '../parts/contrastive-infonce.js';
import { l2Normalize } from '../parts/distances.js';

const options = {
  logitScale: opt.numberOrTensor(2.6593, [], 't: the log of the logit scale 1/τ (CLIP initialises it to log(1/0.07) = 2.6593); pass a 0-d tensor to learn it.'),
  maxLogitScale: opt.number(100, 'The cap on exp(t) (CLIP clamps the scale at 100).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type ClipSymmetricOptions = OptionsOf<typeof options>;

/**
 * Symmetric InfoNCE of CLIP: cross-entropy of matching each image to its text and each text to its image.
 *
 * u = l2_normalize(A), v = l2_normalize(B), S = min(exp(t), s_max)·u vᵀ; L = ½·(mean_i (logsumexp_j S_ij − S_ii) +
 * mean_j (logsumexp_i S_ij − S_jj)). Stable form: max-shifted logSoftmax along each axis. A learnable t (0-d tensor)
 * receives its gradient through the scale; past the cap the clamp passes none, as in CLIP.
 *
 * @param input embeddings A [N, D] (images)
 * @param target embeddings B [N, D] (texts; row i pairs with A's row i)
 * @returns a scalar, or [N] with reduction 'none': per pair, the mean of its image→text and text→image terms
 * @see Radford et al., "Learning Transferable Visual Models From Natural Language Supervision", ICML 2021
 */
export function clipSymmetricLoss(...args: Call<[input: Tensor, target: Tensor], ClipSymmetricOptions>): Tensor {
  const [input, target, { logitScale, maxLogitScale, reduction }] = entry.check(args);
  const t = typeof logitScale === 'number' ? input.newFull([], logitScale) : logitScale;
  const s = l2Normalize(input).matmul(l2Normalize(target).T).mul(t.clamp(undefined, Math.log(maxLogitScale)).exp());
  return applyReduction(diagonalCrossEntropy(s).add(diagonalCrossEntropy(s.T)).mul(0.5), { reduction });
}

export const entry = defineLoss({
  id: 'clip-symmetric',
  fn: clipSymmetricLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  aliases: ['clip'],
  output: 'per-sample',
});
