import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  weight: opt.oneOf(['exp', 'inverse'], 'exp', "w(u): 'exp' = exp(−u/τ), 'inverse' = 1/(1 + u/τ); both decrease in the uncertainty u (the catalog names both as readings)."),
  temperature: opt.number(1, 'τ: the uncertainty scale of w (unspecified in the catalog; 1 chosen: u in the loss\'s own units).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type CtrlUUncertaintyRewardLossOptions = OptionsOf<typeof options>;

/**
 * Ctrl-U uncertainty-aware reward loss: the reward losses of two generations from one condition, each
 * down-weighted by how much the two disagree (the reward model's uncertainty).
 *
 * ℓ_j = d(R(x_j), c) per generation (passed in: e.g. the CE or MSE of the frozen reward model's output against
 * the condition map); u = |ℓ_1 − ℓ_2|; per sample ½·sg(w(u))·(ℓ_1 + ℓ_2). The weight is held constant, so the
 * gradient is sg(w)·∇ℓ_j, not the derivative of the value.
 *
 * Reading: the abstract gives no weight function; w = exp(−u/τ) by default ('inverse' the other named reading),
 * with per-sample (per-image) uncertainty: pass per-pixel losses flattened into N for the per-pixel reading.
 *
 * @param loss1 reward loss of the first generation ℓ_1 [N]
 * @param loss2 reward loss of the second generation ℓ_2 [N]
 * @returns a scalar, or [N] with reduction 'none'
 * @see "Ctrl-U: Robust Conditional Image Generation via Uncertainty-aware Reward Modeling", 2024 (the catalog's source)
 */
export function ctrlUUncertaintyRewardLoss(...args: Call<[loss1: Tensor, loss2: Tensor], CtrlUUncertaintyRewardLossOptions>): Tensor {
  const [loss1, loss2, { weight, temperature, reduction }] = entry.check(args);
  const u = loss1.detach().sub(loss2.detach()).abs().div(temperature);
  const w = weight === 'exp' ? u.neg().exp() : u.add(1).reciprocal();
  return applyReduction(loss1.add(loss2).mul(w).mul(0.5), { reduction });
}

export const entry = defineLoss({
  id: 'ctrl-u-uncertainty-reward-loss',
  fn: ctrlUUncertaintyRewardLoss,
  args: [
    { name: 'loss1', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'loss2', shape: ['N'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  surrogateGradient: 'The uncertainty weight w(|ℓ_1 − ℓ_2|) is held constant (stop-gradient), so the gradient is w·∇ℓ_j.',
  reading: 'w = exp(−u/τ) (or 1/(1 + u/τ)) of u = |ℓ_1 − ℓ_2| per sample, held constant, on the mean of the two generations\' reward losses.',
});
