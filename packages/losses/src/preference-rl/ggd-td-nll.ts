import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type GgdTdNllOptions = OptionsOf<typeof options>;

/**
 * Negative log-likelihood of TD errors under a generalized Gaussian with location μ, scale α and shape β.
 *
 * ℓ = (|δ − μ|/α)^β + log(2α) + lgamma(1/β) − log β. β = 2 is Gaussian (α = √2·σ), β = 1 Laplace; the aleatoric
 * variance is α²·Γ(3/β)/Γ(1/β). Stable form: (|x|/α)^β = exp(β·(log|x| − log α)), with x = 0 selected to 0
 * exactly (no ε added), so the gradients in x, α and β are finite at x = 0; lgamma's gradient is digamma.
 * The catalog's β_init = 2 is the shape head's initialisation, not an option.
 *
 * @param delta TD errors δ [N] (or targets minus value predictions)
 * @param alpha scales α [N] > 0 (e.g. a softplus head)
 * @param beta shapes β [N] > 0 (e.g. a softplus head)
 * @param mu optional locations μ [N] (default 0)
 * @returns a scalar, or [N] with reduction 'none'
 * @see "Generalized Gaussian Temporal Difference Error for Uncertainty-aware Reinforcement Learning", 2024 (the catalog's source)
 */
export function ggdTdNllLoss(...args: Call<[delta: Tensor, alpha: Tensor, beta: Tensor, mu?: Tensor], GgdTdNllOptions>): Tensor {
  const [delta, alpha, beta, mu, { reduction }] = entry.check(args);
  const x = (mu ? delta.sub(mu) : delta).abs();
  const zero = x.eq(0);
  const power = zero.where(0, beta.mul(zero.where(1, x).log().sub(alpha.log())).exp());
  const norm = alpha.mul(2).log().add(beta.reciprocal().lgamma()).sub(beta.log());
  return applyReduction(power.add(norm), { reduction });
}

export const entry = defineLoss({
  id: 'ggd-td-nll',
  fn: ggdTdNllLoss,
  args: [
    { name: 'delta', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'alpha', shape: ['N'], dtype: 'float', domain: 'positive' },
    { name: 'beta', shape: ['N'], dtype: 'float', domain: 'positive' },
    { name: 'mu', shape: ['N'], dtype: 'float', domain: 'real', optional: true },
  ],
  options,
  output: 'per-sample',
});
