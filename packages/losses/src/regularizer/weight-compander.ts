import { log1p, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  mu: opt.number(255, 'μ: the compander\'s steepness (null in the catalog; 255, the μ-law standard, our choice: larger is steeper near 0 and flatter far out).', '(0, inf)'),
};
export type WeightCompanderOptions = OptionsOf<typeof options>;

/**
 * Weight compander: an elementwise reparameterisation w_eff = g(w) of the raw weights by an odd
 * function that is steep near 0 and grows slowly for large |w|, so large raw weights change the
 * effective ones little (a regularising effect) while small ones stay trainable.
 *
 * g(w) = sign(w)·log(1 + μ|w|)/log(1 + μ) (μ-law compander), with log1p for small μ|w|. g maps [−1, 1] onto
 * itself; its slope μ/((1 + μ|w|)·log(1 + μ)) is finite everywhere (at exactly w = 0 the sign's zero
 * derivative gives a zero gradient, as PyTorch's sign·log1p∘abs does). Use w_eff in place of the layer's weight.
 *
 * @param weight raw weights w [...]
 * @returns the effective weights, shaped like `weight`
 * @see Kolb, Pfister & others, "Weight Compander: A Simple Weight Reparameterization for Regularization", IJCNN 2023
 */
export function weightCompander(...args: Call<[weight: Tensor], WeightCompanderOptions>): Tensor {
  const [weight, { mu }] = entry.check(args);
  return log1p(weight.abs().mul(mu)).mul(weight.sign()).div(Math.log1p(mu));
}

export const entry = defineLoss({
  id: 'weight-compander',
  fn: weightCompander,
  args: [{ name: 'weight', shape: ['...'], dtype: 'float', domain: 'real' }],
  options,
  output: 'same-as-input',
  reading: 'The abstract does not give g; we implement the μ-law compander g(w) = sign(w)·log(1 + μ|w|)/log(1 + μ) (odd, steep at 0, slowly growing) with a fixed μ = 255 (pass a learned μ per call to learn it).',
});
