import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { weightLossGradient } from '../parts/weight-loss-gradient.js';

const options = {
  clip: opt.number(1, 'c: the largest norm the clipped loss\'s gradient may have (not in the abstract; 1, the usual max-norm).', '(0, inf)'),
  lambda: opt.number(0.1, 'λ: the weight of the gradient penalty ‖∇L‖² (not in the abstract; 0.1).', '[0, inf)'),
  lossFn: opt.func<(weight: Tensor) => Tensor>('The expert\'s batch loss as a function of its parameters, L(w) → a scalar; null: the mean cross-entropy of the linear head, CE(h·wᵀ, y).'),
};
export type ExpertClippingGradientPenaltyOptions = OptionsOf<typeof options>;

/**
 * The smooth-expert objective of dataset distillation by trajectory matching: the expert's training loss with a
 * clipping factor and a gradient penalty, which together bound how fast the expert's parameters move per step, so
 * the recorded expert trajectory is smooth and a student can follow it.
 *
 * g = ∇_w L(w); J = sg(c/max(‖g‖, c))·L(w) + λ·‖g‖². The factor is held constant (sg), so ∇J = min(1, c/‖g‖)·g +
 * 2λ·H·g: the loss's gradient clipped to norm c, plus the penalty's gradient through the Hessian–vector product H·g
 * (a second-order pass, so `weight` must be a leaf of the loss). Minimise J with the expert's optimiser and record
 * its parameters per epoch as the trajectory.
 *
 * @param weight the expert's parameters w [C, D] (the linear head's weights by default)
 * @param features h [N, D] for the default loss
 * @param target class indices [N] (int32) for the default loss
 * @returns a scalar
 * @see Shen et al., "Efficient Dataset Distillation through Alignment with Smooth and High-Quality Expert Trajectories"
 *   (AST), 2023
 */
export function expertClippingGradientPenalty(...args: Call<[weight: Tensor, features: Tensor, target: Tensor], ExpertClippingGradientPenaltyOptions>): Tensor {
  const [weight, features, target, { clip, lambda, lossFn }] = entry.check(args);
  const { base, g } = weightLossGradient(weight, features, target, lossFn, true);
  if (!g) return base;
  const sq = g.square().sum();
  const scale = sq.detach().sqrt().clamp(clip).reciprocal().mul(clip); // c/max(‖g‖, c) = min(1, c/‖g‖)
  const out = base.mul(scale).add(sq.mul(lambda));
  return weight.requiresGrad ? out : out.detach();
}

export const entry = defineLoss({
  id: 'expert-clipping-gradient-penalty',
  fn: expertClippingGradientPenalty,
  args: [
    { name: 'weight', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'batch',
  surrogateGradient: 'The clipping factor min(1, c/‖∇L‖) is held constant, as gradient-norm clipping is: the gradient is the clipped loss gradient plus the exact penalty gradient, not the derivative of the value through the factor.',
  reading: 'No released expert-training code was found; we read the "clipping loss" as the expert loss scaled by the stop-gradient factor min(1, c/‖∇L‖) (its gradient is the gradient clipped to norm c) and the gradient penalty as λ‖∇_w L‖² (differentiated exactly, second order), for one parameter tensor and a loss closure (default: the mean CE of a linear head).',
});
