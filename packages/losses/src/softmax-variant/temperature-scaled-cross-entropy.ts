import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  t: opt.number(1, 'The temperature T (fixed during training; fitting T after training is the calibration entry temperature-scaling).', '(0, inf)'),
  scaleByT: opt.boolean(false, 'Multiply by T: the LDR-scaled form T·CE(z/T, y) (LDR-KL with margin 0 and λ = T).'),
  reduction: opt.reduction(),
};
export type TemperatureScaledCrossEntropyOptions = OptionsOf<typeof options>;

/**
 * Temperature-scaled cross-entropy: cross-entropy of the logits divided by a temperature T.
 *
 * ℓᵢ = CE(zᵢ/T, yᵢ) = lse(zᵢ/T) − zᵢ_{yᵢ}/T, by a max-shifted log-softmax; with `scaleByT`, T·CE(zᵢ/T, yᵢ), the
 * member of the label-distributionally robust family with margin 0 and λ = T.
 *
 * @param z logits [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zhu, Ying & Yang, Label Distributionally Robust Losses for Multi-class Classification: Consistency, Robustness
 *   and Adaptivity, ICML 2023
 */
export function temperatureScaledCrossEntropy(...args: Call<[z: Tensor, target: Tensor], TemperatureScaledCrossEntropyOptions>): Tensor {
  const [z, target, { t, scaleByT, reduction }] = entry.check(args);
  const nll = z.div(t).logSoftmax(1).gather(1, target.unsqueeze(1)).squeeze(1).neg();
  return applyReduction(scaleByT ? nll.mul(t) : nll, { reduction });
}

export const entry = defineLoss({
  id: 'temperature-scaled-cross-entropy',
  fn: temperatureScaledCrossEntropy,
  args: [
    { name: 'z', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
