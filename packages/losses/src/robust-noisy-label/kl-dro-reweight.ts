import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  r: opt.number(1, 'r: the KL regularisation strength (temperature); large r tends to the mean, small r to the max.', '(0, inf)'),
  detachWeights: opt.boolean(false, 'Use Σᵢ sg(softmax(l/r))ᵢ·lᵢ: the same gradient, the weighted mean as the value.'),
};
export type KlDroReweightOptions = OptionsOf<typeof options>;

/**
 * KL-regularised DRO over the batch (tilted / log-sum-exp risk).
 *
 * max_{w∈Δ} Σᵢ wᵢlᵢ − r·KL(w ‖ 1/n) has the solution w = softmax(l/r) and the value L = r·(logsumexp(l/r) −
 * log n), a max-shifted logsumexp (finite for any losses). With detachWeights the value is Σᵢ sg(wᵢ)·lᵢ;
 * both have the gradient w.
 *
 * @param losses per-sample losses [n]
 * @returns a scalar
 * @see Li et al., "Tilted Empirical Risk Minimization", ICLR 2021; Zhang et al., "Doubly Robust
 *   Instance-Reweighted Adversarial Training", ICLR 2024
 */
export function klDroReweightLoss(...args: Call<[losses: Tensor], KlDroReweightOptions>): Tensor {
  const [losses, { r, detachWeights }] = entry.check(args);
  if (detachWeights) return losses.div(r).softmax(0).detach().mul(losses).sum();
  return losses.div(r).logsumexp(0).sub(Math.log(losses.shape[0])).mul(r);
}

export const entry = defineLoss({
  id: 'kl-dro-reweight',
  fn: klDroReweightLoss,
  args: [{ name: 'losses', shape: ['N'], dtype: 'float', domain: 'real' }],
  options,
  output: 'batch',
});
