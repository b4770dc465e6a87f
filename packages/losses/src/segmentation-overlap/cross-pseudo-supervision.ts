import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  lambda: opt.number(1.5, 'λ: weight of the cross pseudo supervision term (1.5 on VOC, 6 on Cityscapes).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type CrossPseudoSupervisionOptions = OptionsOf<typeof options>;

/** Per-pixel cross-entropy of logits [N, C, ...] against class indices [N, ...]: logsumexp_c z − z_y (max-shifted). */
export function pixelCrossEntropy(logits: Tensor, labels: Tensor): Tensor {
  return logits.logsumexp(1).sub(logits.gather(1, labels.unsqueeze(1)).squeeze(1));
}

/**
 * Cross pseudo supervision (CPS): two networks supervise each other with their hard pseudo-labels.
 *
 * Y₁ = argmax z₁, Y₂ = argmax z₂ (no gradient); per pixel ℓ = λ·(CE(z₂, Y₁) + CE(z₁, Y₂)), plus
 * CE(z₁, y) + CE(z₂, y) when labels y are given. Cross-entropy is logsumexp − target logit (max-shifted), finite
 * at logits of ±1e4. For a batch of labelled and unlabelled images, call it on the labelled part with y and on
 * the unlabelled part without (the code's separate means).
 *
 * @param input logits z₁ [N, C, ...spatial] of the first network
 * @param other logits z₂ [N, C, ...spatial] of the second network
 * @param target optional class indices [N, ...spatial] (int32) for the supervised terms
 * @returns a scalar (pixel mean), or the per-pixel values [N, ...spatial] with reduction 'none'
 * @see Chen et al., "Semi-Supervised Semantic Segmentation with Cross Pseudo Supervision", CVPR 2021
 */
export function crossPseudoSupervisionLoss(...args: Call<[input: Tensor, other: Tensor, target?: Tensor], CrossPseudoSupervisionOptions>): Tensor {
  const [z1, z2, target, { lambda, reduction }] = entry.check(args);
  const y1 = z1.detach().argmax(1);
  const y2 = z2.detach().argmax(1);
  let v = pixelCrossEntropy(z2, y1).add(pixelCrossEntropy(z1, y2)).mul(lambda);
  if (target) v = v.add(pixelCrossEntropy(z1, target)).add(pixelCrossEntropy(z2, target));
  return applyReduction(v, { reduction });
}

export const entry = defineLoss({
  id: 'cross-pseudo-supervision',
  fn: crossPseudoSupervisionLoss,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'logits' },
    { name: 'other', shape: ['N', 'C', '...'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', '...'], dtype: 'int', domain: 'label', optional: true },
  ],
  options,
  output: 'per-sample',
});
