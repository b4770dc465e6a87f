import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { ldrKlValue, ldrMargins, ldrScores } from '../parts/robust-ldr.js';

const options = {
  lam: opt.number(10, 'λ: the KL regularisation of the label distribution (official code grid {0.1, 1, 10}).', '(0, inf)'),
  c: opt.number(0.1, 'c: the margin added to every non-target class.', '[0, inf)'),
  normalizeScores: opt.boolean(true, 'Score normalisation f = softplus(z)/mean_k softplus(z_k) of the official code (false: f = z).'),
  reduction: opt.reduction(),
};
export type LdrKlOptions = OptionsOf<typeof options>;

/**
 * LDR-KL loss: the worst case over label distributions near uniform, KL-regularised.
 *
 * d_k = c·1[k≠y] + f_k − f_y; ℓᵢ = max_{q∈Δ} Σ_k q_k·d_k − λ·KL(q ‖ u) = λ·(logsumexp_k(d_k/λ) − log K), a
 * max-shifted logsumexp. λ → 0 is the Crammer–Singer hinge; c = 0, f = z, λ = 1 is cross-entropy − log K.
 * f = softplus(z)/mean softplus(z) (the official code; its mean floored at 1e-30) keeps f ∈ [0, K], so logits
 * of ±1e4 are finite.
 *
 * @param input logits [N, K]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zhu, Ying & Yang, "Label Distributionally Robust Losses for Multi-class Classification: Consistency,
 *   Robustness and Adaptivity", ICML 2023
 */
export function ldrKlLoss(...args: Call<[input: Tensor, target: Tensor], LdrKlOptions>): Tensor {
  const [input, target, { lam, c, normalizeScores, reduction }] = entry.check(args);
  return applyReduction(ldrKlValue(ldrMargins(ldrScores(input, normalizeScores), target, c), lam), { reduction });
}

export const entry = defineLoss({
  id: 'ldr-kl',
  fn: ldrKlLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
