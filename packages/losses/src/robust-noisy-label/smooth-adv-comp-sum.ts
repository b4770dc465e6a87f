import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { targetLogit } from '../parts/robust-margin.js';

const options = {
  nu: opt.number(1, 'ν: weight of the smooth adversarial term (1–6 in the paper).', '[0, inf)'),
  tau: opt.number(1, 'τ of the comp-sum loss Φ^τ (1: cross-entropy; (1, 2): GCE).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type SmoothAdvCompSumOptions = OptionsOf<typeof options>;

/**
 * Smooth adversarial comp-sum loss: a comp-sum loss on the clean input plus ν times how far the logit
 * margins move under the adversarial perturbation.
 *
 * ℓᵢ = Φ^τ(z, y) + ν·‖Δ(z′) − Δ(z)‖₂, Δ(z)_k = z_k − z_y, with Φ^τ = expm1((1 − τ)·CE)/(1 − τ) (CE =
 * −log softmax(z)_y at τ = 1). The norm's slope at 0 is taken as 0 (a subgradient), so z′ = z is finite.
 * z′ are the logits at the adversarial input, found by the caller by PGD maximising the same norm (TRADES
 * style: radius γ = 8/255 in ℓ∞ and 10 steps on CIFAR in the paper). For τ < 1, Φ^τ grows like
 * e^{(1−τ)·CE} and overflows at margins of −1e4, the true value.
 *
 * @param input logits on the clean input [N, C]
 * @param adversarial logits on the adversarial input [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Mao, Mohri & Zhong, "Cross-Entropy Loss Functions: Theoretical Analysis and Applications", ICML 2023
 */
export function smoothAdvCompSumLoss(...args: Call<[input: Tensor, adversarial: Tensor, target: Tensor], SmoothAdvCompSumOptions>): Tensor {
  const [input, adversarial, target, { tau, nu, reduction }] = entry.check(args);
  const ce = targetLogit(input.logSoftmax(-1), target).neg();
  const phi = Math.abs(tau - 1) < 1e-6 ? ce : ce.mul(1 - tau).expm1().div(1 - tau);
  const margins = (z: Tensor) => z.sub(targetLogit(z, target).unsqueeze(-1));
  const sq = margins(adversarial).sub(margins(input)).square().sum(-1);
  const nonzero = sq.gt(0);
  const norm = nonzero.where(nonzero.where(sq, 1).sqrt(), 0);
  return applyReduction(phi.add(norm.mul(nu)), { reduction });
}

export const entry = defineLoss({
  id: 'smooth-adv-comp-sum',
  fn: smoothAdvCompSumLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'adversarial', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  reading: 'The smooth term is ν·‖Δ(z′) − Δ(z)‖₂ over the logit-margin vectors Δ(z)_k = z_k − z_y (not the logits or probabilities); the outer loss takes the adversarial logits, the PGD search for them is the caller\'s.',
});
