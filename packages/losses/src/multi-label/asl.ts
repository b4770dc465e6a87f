import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { asymmetricTerms } from '../parts/imbalance-asymmetric.js';
import { applyReduction } from '../reduce.js';

const options = {
  gammaPos: opt.number(0, 'γ+: focusing exponent of the positives.', '[0, inf)'),
  gammaNeg: opt.number(4, 'γ−: focusing exponent of the negatives.', '[0, inf)'),
  clip: opt.number(0.05, 'm: probability margin of the negatives, p_m = max(p − m, 0) (0: none).', '[0, 1)'),
  eps: opt.number(1e-8, 'ε of log(max(·, ε)).', '(0, 1)'),
  detachFocusing: opt.boolean(true, "Hold the focusing weights constant (no gradient), as the authors' code does (the catalog's default); false: the paper's loss and its true gradient."),
  reduction: opt.reduction('sum'),
};
export type AslOptions = OptionsOf<typeof options>;

/**
 * Asymmetric loss (ASL) for multi-label classification: asymmetric focusing plus probability shifting
 * of the negatives, so easy negatives (p ≤ m) are discarded.
 *
 * p = σ(z), p_m = max(p − m, 0); ℓ = −[t·(1 − p)^{γ+}·log max(p, ε) + (1 − t)·p_m^{γ−}·log max(1 − p_m, ε)]
 * per element, summed over the batch and classes (the reference code's reduction). By default the
 * focusing weights are held constant, as the authors' code does; detachFocusing: false gives the
 * paper's loss with its true gradient. Stable form:
 * log p = log σ(z); 1 − p_m = min(σ(−z) + m, 1) ≥ m.
 *
 * @param input logits [N, C]
 * @param target multi-hot targets [N, C] in {0, 1}
 * @returns Σ (default), the mean, or [N, C] with reduction 'none'
 * @see Ridnik et al., "Asymmetric Loss For Multi-Label Classification", ICCV 2021
 */
export function asymmetricLoss(...args: Call<[input: Tensor, target: Tensor], AslOptions>): Tensor {
  const [input, target, { gammaPos, gammaNeg, clip, eps, detachFocusing, reduction }] = entry.check(args);
  return applyReduction(asymmetricTerms(input, target.cast(input.dtype), { gammaPos, gammaNeg, clip, eps, detachFocusing }), { reduction });
}

export const entry = defineLoss({
  id: 'asl',
  fn: asymmetricLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'C'], dtype: 'float', domain: 'multi-hot' },
  ],
  options,
  surrogateGradient: "by default (detachFocusing, the authors' code) the focusing weights are held constant",
  output: 'elementwise',
});
