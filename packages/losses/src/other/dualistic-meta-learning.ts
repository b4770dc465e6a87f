import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  alpha: opt.number(0.01, 'α: the inner (meta-train) step size θ′ = θ − α∇L_A (not in the abstract: set it to the inner learning rate used).', '[0, inf)'),
};
export type DualisticMetaLearningOptions = OptionsOf<typeof options>;

/**
 * Dualistic meta-learning objective (MLDG-style), in its first-order form: learn on a meta-train split A so
 * that the step also helps a held-out split B, which rewards aligned gradients.
 *
 * Exact: θ′ = θ − α∇L_A(θ), L = L_A(θ) + L_B(θ′). First order in α: L ≈ L_A(θ) + L_B(θ) − α⟨∇L_A(θ), ∇L_B(θ)⟩,
 * the gradient-matching form this entry computes. Wiring: L_A, L_B the losses of the two splits at θ; g_A, g_B
 * = grad(L_·, params, {createGraph: true}) flattened and concatenated, so that backward differentiates the
 * inner product (double backward). "Dualistic": call it once with splits drawn by domain and once with
 * splits drawn by class, and add. Reading: the first-order expansion; the exact form is the caller's sum of
 * L_A and L_B evaluated at the stepped parameters.
 *
 * @param lossA the meta-train loss L_A(θ) []
 * @param lossB the meta-test loss L_B(θ) []
 * @param gradA ∇L_A(θ), flattened [P]
 * @param gradB ∇L_B(θ), flattened [P]
 * @returns a scalar
 * @see "Generalizable Decision Boundaries: Dualistic Meta-Learning for Open Set Domain Generalization", 2024;
 *   Li et al., "Learning to Generalize: Meta-Learning for Domain Generalization", AAAI 2018
 */
export function dualisticMetaLearning(...args: Call<[lossA: Tensor, lossB: Tensor, gradA: Tensor, gradB: Tensor], DualisticMetaLearningOptions>): Tensor {
  const [lossA, lossB, gradA, gradB, { alpha }] = entry.check(args);
  return lossA.add(lossB).sub(gradA.mul(gradB).sum().mul(alpha));
}

export const entry = defineLoss({
  id: 'dualistic-meta-learning',
  fn: dualisticMetaLearning,
  args: [
    { name: 'lossA', shape: [], dtype: 'float', domain: 'real' },
    { name: 'lossB', shape: [], dtype: 'float', domain: 'real' },
    { name: 'gradA', shape: ['P'], dtype: 'float', domain: 'real' },
    { name: 'gradB', shape: ['P'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
  reading: 'First-order MLDG: L_A + L_B − α⟨∇L_A, ∇L_B⟩ on given losses and flattened gradients; the inter-domain and inter-class splits are two calls.',
});
