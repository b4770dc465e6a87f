import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  temperature: opt.number(1, 'τ > 0: the scale of the utility noise (τ = 1 gives the network\'s own softmax back).', '(0, inf)'),
  dim: opt.integer(-1, 'The class dim.'),
};
export type UtilityProbabilityTransformOptions = OptionsOf<typeof options>;

/**
 * Utility-to-probability transform: reads a softmax network's logits as ordinal utilities u and
 * returns choice probabilities under a random-utility model.
 *
 * P(y) = Pr[u_y + ε_y ≥ u_k + ε_k ∀k], ε i.i.d. Gumbel(0, τ)  ⇒  P = softmax(u / τ)
 * (McFadden's closed form), computed as a max-shifted softmax so logits of ±1e4 stay finite.
 *
 * Reading: the paper's own transform equation is in its body, which was not available; this
 * entry implements the standard random-utility (Luce / McFadden) reading of "turning ordinal
 * utilities into probabilities", with the noise scale τ as the one free calibration parameter
 * (τ = 1 by default, chosen here). It is a transform, not a loss.
 *
 * @param utilities [N, C] (or [..., C] with `dim`)
 * @returns probabilities of the same shape, summing to 1 along `dim`
 * @see Huang & Yuan, "Utility-Probability Duality of Neural Networks", arXiv 2305.14859, 2023
 * @see McFadden, "Conditional logit analysis of qualitative choice behavior", 1974
 */
export function utilityProbabilityTransform(...args: Call<[utilities: Tensor], UtilityProbabilityTransformOptions>): Tensor {
  const [utilities, { temperature, dim }] = entry.check(args);
  return (temperature === 1 ? utilities : utilities.div(temperature)).softmax(dim);
}

export const entry = defineLoss({
  id: 'utility-probability-transform',
  fn: utilityProbabilityTransform,
  args: [{ name: 'utilities', shape: ['N', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'same-as-input',
  reading: "The paper's transform equation is not in its abstract: implemented as the random-utility (McFadden/Luce) choice probability softmax(u/τ) with Gumbel noise scale τ (default 1, chosen here).",
});
