import { defaultGenerator, type Generator, type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { hardCe } from '../parts/pseudo-label-ce.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type SelmixOptions = OptionsOf<typeof options>;

/**
 * SelMix fine-tuning loss: cross-entropy of the classifier on a feature mixup toward the first class of the pair.
 *
 * h̃ᵢ = λᵢ·hᵢ + (1 − λᵢ)·h′ᵢ, ℓᵢ = −log softmax(W h̃ᵢ + b)_{yᵢ} (max-shifted), where hᵢ is a feature of class yᵢ = i and
 * h′ᵢ one of the partner class j of a pair (i, j) drawn from P_mix. `selmixPairDistribution` gives P_mix from the
 * caller's gain table G [C, C] (the first-order gain of the target metric ψ per i→j mixup, re-estimated on
 * validation data every `update_period` steps); `selmixSamplePairs` draws the pairs and λᵢ ~ U[λ_min, 1] (the
 * authors' λ_min = 0.6) from a seeded generator, and the caller gathers a feature of each class.
 * Follows val-iisc/SelMix MetricOptimisation/base_optimizer.py and metrics.py.
 *
 * @param features features hᵢ of the pair's first class [N, D]
 * @param partnerFeatures features h′ᵢ of the partner class [N, D]
 * @param target the first class of each pair, i [N] (int32)
 * @param lambdas mixing coefficients λ [N] in [0, 1]
 * @param weight classifier weights W [C, D]
 * @param bias classifier bias b [C] (optional)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Ramasubramanian et al., "Selective Mixup Fine-Tuning for Optimizing Non-Decomposable Objectives", ICLR 2024
 */
export function selmixLoss(...args: Call<[features: Tensor, partnerFeatures: Tensor, target: Tensor, lambdas: Tensor, weight: Tensor, bias?: Tensor], SelmixOptions>): Tensor {
  const [h, partner, target, lambdas, weight, bias, { reduction }] = entry.check(args);
  const lam = lambdas.unsqueeze(-1);
  const mixed = h.mul(lam).add(partner.mul(lam.neg().add(1)));
  const logits = mixed.matmul(weight.T);
  return applyReduction(hardCe(bias ? logits.add(bias) : logits, target), { reduction });
}

/**
 * SelMix's pair distribution P_mix [C, C] from a gain table G [C, C]: softmax over all pairs of G/s, kept only where
 * G > 0, then (P + 1e-8) renormalised (the authors' form: every pair keeps a floor of mass). s is their DistTemp.
 */
export function selmixPairDistribution(gain: Tensor, s = 1): Tensor {
  const c = gain.shape[0];
  const p = gain.reshape([-1]).div(s).softmax(-1).reshape([c, c]).mul(gain.gt(0).cast(gain.dtype)).add(1e-8);
  return p.div(p.sum());
}

/**
 * Draws `count` class pairs (i, j) from P_mix [C, C] (inverse CDF over the flattened table) and λ ~ U[λ_min, 1] from a
 * seeded generator: int32 first [count] (the targets), second [count], float64 lambdas [count], on P_mix's backend.
 */
export function selmixSamplePairs(pMix: Tensor, count: number, { lambdaMin = 0.6, generator = defaultGenerator }: { lambdaMin?: number; generator?: Generator } = {}): { first: Tensor; second: Tensor; lambdas: Tensor } {
  const c = pMix.shape[0];
  const p = pMix.detach().data();
  let total = 0;
  for (const v of p) total += v;
  const first: number[] = [];
  const second: number[] = [];
  const lambdas: number[] = [];
  for (let m = 0; m < count; m++) {
    let u = generator.uniform() * total;
    let k = 0;
    while (k < p.length - 1 && u >= p[k]) u -= p[k++];
    first.push(Math.floor(k / c));
    second.push(k % c);
    lambdas.push(lambdaMin + (1 - lambdaMin) * generator.uniform());
  }
  const backend = pMix.backendName;
  return { first: tensor(first, { dtype: 'int32', backend }), second: tensor(second, { dtype: 'int32', backend }), lambdas: tensor(lambdas, { dtype: 'float64', backend }) };
}

export const entry = defineLoss({
  id: 'selmix',
  fn: selmixLoss,
  args: [
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'partnerFeatures', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'lambdas', shape: ['N'], dtype: 'float', domain: 'prob' },
    { name: 'weight', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'bias', shape: ['C'], dtype: 'float', domain: 'real', optional: true },
  ],
  options,
  output: 'per-sample',
  reading: 'The fine-tuning step of the authors\' code: CE toward class i of the linear classifier on the feature mixup λh_i + (1 − λ)h_j; the pair (i, j) ~ P_mix, the features and λ ~ U[λ_min, 1] are drawn by the caller (selmixPairDistribution turns the caller\'s metric-gain table into P_mix), because the gain estimate needs a validation confusion matrix and the model.',
});
