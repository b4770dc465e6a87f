import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { logPriors } from '../parts/class-stats.js';

const options = {
  classCounts: opt.tensor(['C'], 'Training class counts n [C] (> 0); π = n/Σn. Absent (and no classPriors): uniform, z unchanged.'),
  classPriors: opt.tensor(['C'], 'Training class priors π [C] (> 0), instead of classCounts.'),
  tau: opt.number(1, 'τ: the scale of the correction (1: thresholding by p_k/π_k).', '[0, inf)'),
};
export type PosthocLogitAdjustmentOptions = OptionsOf<typeof options>;

/**
 * Post-hoc logit adjustment: subtract τ·log prior from a trained model's logits.
 *
 * z_adj = z − τ·log π (π renormalised, so logits stay on the scale of log-probabilities); predict
 * argmax_k z_adj or softmax(z_adj). τ = 1 is Buda et al.'s thresholding argmax_k p_k/π_k.
 *
 * @param input logits [N, C] (or [N, ..., C]: classes last)
 * @returns the adjusted logits, input's shape
 * @see Menon et al., "Long-tail learning via logit adjustment", ICLR 2021; Buda et al., "A systematic study of the class imbalance problem in convolutional neural networks", Neural Networks 2018
 */
export function posthocLogitAdjustment(...args: Call<[input: Tensor], PosthocLogitAdjustmentOptions>): Tensor {
  const [input, { classCounts, classPriors, tau }] = entry.check(args);
  return input.sub(logPriors('posthocLogitAdjustment', classCounts, classPriors, input, input.shape[input.ndim - 1]).mul(tau));
}

export const entry = defineLoss({
  id: 'posthoc-logit-adjustment',
  fn: posthocLogitAdjustment,
  args: [{ name: 'input', shape: ['N', '...', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'same-as-input',
});
