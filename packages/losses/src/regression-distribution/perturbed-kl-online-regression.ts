import { rand, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  variant: opt.oneOf(['kl', 'square'] as const, 'kl', "'kl': the Bernoulli KL through a sigmoid link; 'square': (f + ξ − y)²."),
  perturbationScale: opt.number(0.01, 's: ξ ~ Uniform[−s, s] when no noise is passed (catalog null: the law of ξ is not given; a small uniform perturbation is the reading).', '[0, inf)'),
  noise: opt.tensor(['N'], 'The perturbation ξ [N] itself (overrides perturbationScale), for a deterministic loss.'),
  generator: opt.generator(),
  reduction: opt.reduction(),
};
export type PerturbedKlOnlineRegressionOptions = OptionsOf<typeof options>;

/**
 * Perturbed KL (and square) losses for online neural regression in contextual bandits.
 *
 * u = f(x) + ξ; KL: ℓ = y·log(y/σ(u)) + (1 − y)·log((1 − y)/(1 − σ(u))) = softplus(u) − y·u − H(y), with H(y) =
 * −xlogy(y, y) − xlogy(1 − y, 1 − y): the BCE-with-logits form, finite at any u and at y ∈ {0, 1}; square:
 * ℓ = (u − y)². Reading: link = sigmoid; ξ ~ Uniform[−s, s] drawn from `generator`, or passed as `noise`.
 *
 * @param input network outputs f(x) [N]
 * @param target rewards y [N] in [0, 1]
 * @returns the mean over elements; 'sum'; or [N] with reduction 'none'
 * @see "Contextual Bandits with Online Neural Regression", ICLR 2024
 */
export function perturbedKlOnlineRegression(...args: Call<[input: Tensor, target: Tensor], PerturbedKlOnlineRegressionOptions>): Tensor {
  const [f, y, { variant, perturbationScale, noise, generator, reduction }] = entry.check(args);
  const xi = noise ?? rand(f.shape, { generator, dtype: f.dtype, backend: f.backendName }).mul(2).sub(1).mul(perturbationScale);
  const u = f.add(xi);
  if (variant === 'square') return applyReduction(u.sub(y).square(), { reduction });
  const negEntropy = y.xlogy(y).add(y.neg().add(1).xlogy(y.neg().add(1)));
  return applyReduction(u.softplus().sub(y.mul(u)).add(negEntropy), { reduction });
}

export const entry = defineLoss({
  id: 'perturbed-kl-online-regression',
  fn: perturbedKlOnlineRegression,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'float', domain: 'prob' },
  ],
  options,
  output: 'elementwise',
  stochastic: true,
  reading: 'Sigmoid link; ξ ~ Uniform[−s, s] added to the output before the link (or the square loss); KL = BCE-with-logits minus the target entropy.',
});
