import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  weight: opt.number(1, 'The weight of the balance loss beside the identity losses (not given in the abstract; 1 leaves it unscaled).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type DomainBalanceLossOptions = OptionsOf<typeof options>;

/**
 * DomainMix's domain balance loss: the feature extractor's side of the adversarial game, minimised where the
 * domain discriminator can no longer tell the domains apart (D = ½).
 *
 * ℓᵢ = −w·[½ log D(hᵢ) + ½ log(1 − D(hᵢ))] with D = σ(dᵢ): log D = logσ(d) and log(1 − D) = logσ(−d) (softplus
 * forms), so discriminator logits of ±1e4 stay finite. The discriminator's own step is a BCE on the domain labels
 * (binary-cross-entropy-with-logits). The minimum, log 2·w, is at d = 0.
 *
 * @param input discriminator logits d [N, ...] (probability that a feature comes from the synthetic domain)
 * @returns a scalar, or the elementwise losses with reduction 'none'
 * @see Wang et al., "DomainMix: Learning Generalizable Person Re-Identification Without Human Annotations", BMVC 2021
 */
export function domainBalanceLoss(...args: Call<[input: Tensor], DomainBalanceLossOptions>): Tensor {
  const [input, { weight, reduction }] = entry.check(args);
  return applyReduction(input.logSigmoid().add(input.neg().logSigmoid()).mul(-0.5 * weight), { reduction });
}

export const entry = defineLoss({
  id: 'domain-balance-loss',
  fn: domainBalanceLoss,
  args: [{ name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'elementwise',
  reading: 'L_bal = −mean[½ log D + ½ log(1 − D)] on the discriminator logits (log-sigmoid forms), minimised by the feature extractor.',
});
