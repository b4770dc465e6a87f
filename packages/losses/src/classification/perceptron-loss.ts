import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type PerceptronLossOptions = OptionsOf<typeof options>;

/**
 * Batch perceptron loss: ℓᵢ = max(0, −yᵢ·sᵢ).
 *
 * Its subgradient step is the batch perceptron update w ← w + γ·Σ_{i: yᵢ w·xᵢ ≤ 0} yᵢxᵢ. At yᵢsᵢ = 0 the
 * perceptron counts a mistake, so the gradient there is −yᵢ (where relu'(0) = 0 would skip the sample):
 * ℓ is written as 1[ys ≤ 0]·(−ys).
 *
 * @param input scores s = w·x [N, ...]
 * @param target labels in {−1, +1} shaped like input
 * @returns a scalar, or [N, ...] with reduction 'none'
 * @see Tyurin, "From Logistic Regression to the Perceptron Algorithm: Exploring Gradient Descent with
 *   Large Step Sizes", 2024
 */
export function perceptronLoss(...args: Call<[input: Tensor, target: Tensor], PerceptronLossOptions>): Tensor {
  const [input, target, { reduction }] = entry.check(args);
  const m = target.cast(input.dtype).mul(input);
  return applyReduction(m.le(0).where(m.neg(), 0), { reduction });
}

export const entry = defineLoss({
  id: 'perceptron-loss',
  fn: perceptronLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'sign' },
  ],
  options,
  output: 'elementwise',
});
