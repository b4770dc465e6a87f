import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { cosineSimilarity } from '../parts/distances.js';

const options = {
  tau: opt.number(0.5, 'τ: the temperature; the paper\'s value is not in the catalog, 0.5 is SimCLR\'s (cosines in [−1, 1] over τ).', '(0, inf)'),
  weight: opt.number(1, 'The weight of this term in the local objective (not given in the catalog; 1 leaves it to the caller).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type FedbrFeatureContrastOptions = OptionsOf<typeof options>;

/**
 * FedBR's local-global feature contrast: keep the local model's features close to the frozen global model's and
 * away from the features of adversarially optimised pseudo-data.
 *
 * ℓ_b = −w·log(e^{cos(h_l, h_g)/τ} / (e^{cos(h_l, h_g)/τ} + e^{cos(h_l, h_p)/τ})) = w·softplus((cos(h_l, h_p) −
 * cos(h_l, h_g))/τ). Stable form: the two-candidate InfoNCE as one softplus. The global features are detached
 * inside the loss; the pseudo-data features keep their gradient, so the outer (max) step of FedBR's min-max can
 * ascend this same value with respect to the pseudo-data.
 *
 * @param input local-model features h_l [N, D]
 * @param target frozen global-model features h_g [N, D] (no gradient reaches them)
 * @param pseudo pseudo-data features h_p [N, D]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Guo et al., "FedBR: Improving Federated Learning on Heterogeneous Data via Local Learning Bias Reduction", ICML 2023
 */
export function fedbrFeatureContrastLoss(...args: Call<[input: Tensor, target: Tensor, pseudo: Tensor], FedbrFeatureContrastOptions>): Tensor {
  const [input, target, pseudo, { tau, weight, reduction }] = entry.check(args);
  const gap = cosineSimilarity(input, pseudo).sub(cosineSimilarity(input, target.detach())).div(tau);
  return applyReduction(gap.softplus().mul(weight), { reduction });
}

export const entry = defineLoss({
  id: 'fedbr-feature-contrast',
  fn: fedbrFeatureContrastLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'pseudo', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  reading: 'The InfoNCE reading of the catalog: one positive (the global model\'s feature) and one negative (the pseudo-data feature) per sample, cosine similarities over τ; the adversarial pseudo-data update is the caller\'s outer loop.',
});
