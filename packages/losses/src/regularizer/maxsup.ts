import type { Tensor } from '@graft/core';
import { crossEntropy } from '../classification/cross-entropy.js';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  alpha: opt.number(0.1, 'α: weight of the max-suppression term (the label-smoothing ε it replaces; the authors may ramp it).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type MaxSupOptions = OptionsOf<typeof options>;

/**
 * MaxSup: cross-entropy plus a penalty on the top-1 logit's excess over the mean logit — label
 * smoothing's regulariser with the ground-truth logit replaced by the largest one, so correct and
 * wrong predictions are regularised alike.
 *
 * ℓᵢ = CE(zᵢ, yᵢ) + α·(max_k z_ik − (1/C)Σ_k z_ik). CE is the max-shifted logsumexp form; the penalty is
 * linear in the logits, so values and gradients are finite at logits of ±1e4.
 *
 * @param logits logits [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zhou et al., "MaxSup: Overcoming Representation Collapse in Label Smoothing", 2025 (arXiv:2502.15798)
 */
export function maxSup(...args: Call<[logits: Tensor, target: Tensor], MaxSupOptions>): Tensor {
  const [logits, target, { alpha, reduction }] = entry.check(args);
  const suppression = logits.amax(-1).sub(logits.mean(-1));
  return applyReduction(crossEntropy(logits, target, { reduction: 'none' }).add(suppression.mul(alpha)), { reduction });
}

export const entry = defineLoss({
  id: 'maxsup',
  fn: maxSup,
  args: [
    { name: 'logits', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
