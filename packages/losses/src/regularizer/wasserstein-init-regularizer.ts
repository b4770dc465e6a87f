import { ShapeError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  lam: opt.number(0.001, 'λ: the penalty weight.', '[0, inf)'),
};
export type WassersteinInitRegularizerOptions = OptionsOf<typeof options>;

/**
 * Wasserstein regularisation toward initialisation: the empirical 1-D squared 2-Wasserstein distance
 * between a layer's current weight values and its initial ones — only the distribution of values, not
 * each weight, is kept near init.
 *
 * R = λ·(1/n)·Σ_i (sort(θ)_i − sort(θ₀)_i)², n = numel θ = numel θ₀ (equal sample sizes: the optimal coupling
 * matches order statistics). The gradient reaches θ through the sort's permutation (a gather). Add one call per
 * layer.
 *
 * @param weight the layer's current parameters θ [...]
 * @param initial its parameters at initialisation θ₀, same number of entries (constant)
 * @returns a scalar
 * @see Lewandowski, Kumar, Schuurmans, György & Machado, "Learning Continually by Spectral Regularization", 2024
 *   (arXiv:2406.06811), its Wasserstein-regularisation baseline
 */
export function wassersteinInitRegularizer(...args: Call<[weight: Tensor, initial: Tensor], WassersteinInitRegularizerOptions>): Tensor {
  const [weight, initial, { lam }] = entry.check(args);
  if (weight.size !== initial.size) throw new ShapeError('wassersteinInitRegularizer', `initial: expected ${weight.size} entries like weight [${weight.shape.join(', ')}], got [${initial.shape.join(', ')}]`);
  const current = weight.flatten().sort().values;
  const target = initial.detach().flatten().sort().values;
  return current.sub(target).square().mean().mul(lam);
}

export const entry = defineLoss({
  id: 'wasserstein-init-regularizer',
  fn: wassersteinInitRegularizer,
  args: [
    { name: 'weight', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'initial', shape: ['N', '...'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'batch',
});
