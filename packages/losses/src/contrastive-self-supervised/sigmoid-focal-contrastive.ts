import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { l2Normalize } from '../parts/distances.js';

const options = {
  gamma: opt.number(2, 'γ: the focusing exponent of (1 − p_t)^γ (RO-ViT: about 1–2).', '[0, inf)'),
  tau: opt.numberOrTensor(0.07, [], 'τ: the temperature, learnable in RO-ViT (a 0-d tensor); the paper gives no initial value, so CLIP\'s 0.07 is the default.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type SigmoidFocalContrastiveOptions = OptionsOf<typeof options>;

/**
 * RO-ViT's focal sigmoid loss for image-text contrastive pretraining, replacing the softmax InfoNCE.
 *
 * l_ij = v_i·t_j/τ on L2-normalised embeddings, y_ij = 1[i = j]; log p_t = log σ((2y_ij − 1)·l_ij);
 * L = −(1/B)·Σ_{i,j} (1 − p_t)^γ·log p_t (no α balancing). Stable form: log p_t and log(1 − p_t) = log σ(−(2y − 1)l)
 * as log-sigmoids, (1 − p_t)^γ = exp(γ·log(1 − p_t)): finite at any logit. The (i, j) sum already covers both
 * directions, so averaging image→text and text→image gives the same value.
 *
 * @param input image embeddings v [N, D]
 * @param target text embeddings t [N, D] (row i pairs with v's row i)
 * @returns a scalar, or [N] with reduction 'none' (image i's sum over the N texts)
 * @see Kim et al., "Region-Aware Pretraining for Open-Vocabulary Object Detection with Vision Transformers", CVPR 2023
 */
export function sigmoidFocalContrastiveLoss(...args: Call<[input: Tensor, target: Tensor], SigmoidFocalContrastiveOptions>): Tensor {
  const [input, target, { gamma, tau, reduction }] = entry.check(args);
  const l = l2Normalize(input).matmul(l2Normalize(target).T).div(tau);
  const n = l.shape[0];
  const signed = l.mul(l.newOnes([n, n]).triu(0).tril(0).mul(2).sub(1));
  const logPt = signed.logSigmoid();
  return applyReduction(signed.neg().logSigmoid().mul(gamma).exp().mul(logPt).sum(-1).neg(), { reduction });
}

export const entry = defineLoss({
  id: 'sigmoid-focal-contrastive',
  fn: sigmoidFocalContrastiveLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  reading: 'The catalog\'s formula: the focal loss of every image-text pair, summed over texts and averaged over images; τ defaults to CLIP\'s 0.07 (the paper learns it, from an unstated start).',
});
