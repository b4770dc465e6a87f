import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { countsOrUniform } from '../parts/class-stats.js';
import { asymmetricTerms } from '../parts/imbalance-asymmetric.js';
import { applyReduction } from '../reduce.js';

const options = {
  classCounts: opt.tensor(['C'], 'Training positive counts per class n [C] (> 0); absent: uniform (every w_c = 1).'),
  gammaPos: opt.number(0, 'γ+: focusing exponent of the positives.', '[0, inf)'),
  gammaNeg: opt.number(4, 'γ−: base focusing exponent of the negatives (γ− + w_c per class).', '[0, inf)'),
  clip: opt.number(0.05, 'm: probability margin of the negatives, p_m = max(p − m, 0).', '[0, 1)'),
  weightExponent: opt.number(1 / 6, 'The exponent of the class weight w_c = (1 − log(n_c/n_max))^e.', '[0, inf)'),
  eps: opt.number(1e-8, 'ε of log(max(·, ε)).', '(0, 1)'),
  reduction: opt.reduction('sum'),
};
export type MultiFocalModifierOptions = OptionsOf<typeof options>;

/**
 * Multi-focal modifier (MFM) loss of COMIC: ASL with a head–tail class weight that also raises the
 * negatives' focusing exponent.
 *
 * w_c = (1 − log(n_c/n_max))^{1/6} (1 for the most frequent class, larger for rarer ones); p = σ(z),
 * p_m = max(p − m, 0); ℓ = −Σ_c w_c·[y_c(1 − p_c)^{γ+}·log p_c + (1 − y_c)·p_m^{γ− + w_c}·log(1 − p_m)],
 * summed like ASL, with the loss's own gradient. Stable logs as in asl.
 *
 * @param input logits [N, C]
 * @param target multi-hot (observed or corrected) targets [N, C]
 * @returns Σ (default), the mean, or [N, C] with reduction 'none'
 * @see Zhang et al., "Learning in Imperfect Environment: Multi-Label Classification with Long-Tailed Distribution and Partial Labels", ICCV 2023
 */
export function multiFocalModifierLoss(...args: Call<[input: Tensor, target: Tensor], MultiFocalModifierOptions>): Tensor {
  const [input, target, { classCounts, gammaPos, gammaNeg, clip, weightExponent, eps, reduction }] = entry.check(args);
  const n = countsOrUniform('multiFocalModifierLoss', classCounts, input, input.shape[1]);
  const w = n.div(n.amax()).log().neg().add(1).pow(weightExponent);
  const terms = asymmetricTerms(input, target.cast(input.dtype), { gammaPos, gammaNeg: w.add(gammaNeg), clip, eps, detachFocusing: false });
  return applyReduction(terms.mul(w), { reduction });
}

export const entry = defineLoss({
  id: 'multi-focal-modifier',
  fn: multiFocalModifierLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'C'], dtype: 'float', domain: 'multi-hot' },
  ],
  options,
  output: 'elementwise',
  reading: "the official code's MultiGrainedFocalLoss: class weight (1 − log(n_c/n_max))^{1/6} multiplies each class term and is added to γ−; ASL's clip; the focusing weights carry gradient (the loss's own derivative). The Correction and Balance stages are procedures outside the loss.",
});
