import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  rho: opt.number(0.1, 'ρ: the KL-ball radius of the DRO constraint (task dependent, about 0.1–8).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type TempnetKlDroOptions = OptionsOf<typeof options>;

/** TempNet's bounded temperature τ = τ_min + (τ_max − τ_min)·σ(u) from the network's raw output u (τ_min 0.01, τ_max 1). */
export function tempnetTemperature(u: Tensor, tauMin = 0.01, tauMax = 1): Tensor {
  return u.sigmoid().mul(tauMax - tauMin).add(tauMin);
}

/**
 * TempNet's KL-DRO loss: the dual of a KL-constrained distributionally robust loss, with a per-input temperature.
 *
 * ℓ(x) = τ(x)·log((1/K)·Σ_j exp(ℓ_j/τ(x))) + τ(x)·ρ = τ·(logsumexp_j(ℓ_j/τ) − log K) + τ·ρ. Stable form: max-shifted
 * logsumexp, finite for any positive τ. CLIP: ℓ_j = s_ij − s_ii over the batch, both directions averaged by the
 * caller; LLM: ℓ_k = z_k − z_y over the vocabulary. The temperature comes from TempNet (`tempnetTemperature`)
 * and receives its gradient through this loss.
 *
 * @param input per-sample loss vectors ℓ [N, K]
 * @param tau temperatures τ(x) [N] (positive)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Qiu et al., "To Cool or not to Cool? Temperature Network Meets Large Foundation Models via DRO", ICML 2024
 */
export function tempnetKlDroLoss(...args: Call<[input: Tensor, tau: Tensor], TempnetKlDroOptions>): Tensor {
  const [input, tau, { rho, reduction }] = entry.check(args);
  const t = tau.unsqueeze(-1);
  const lse = input.div(t).logsumexp(-1).sub(Math.log(input.shape[1]));
  return applyReduction(lse.add(rho).mul(tau), { reduction });
}

export const entry = defineLoss({
  id: 'tempnet-kl-dro',
  fn: tempnetKlDroLoss,
  args: [
    { name: 'input', shape: ['N', 'K'], dtype: 'float', domain: 'real' },
    { name: 'tau', shape: ['N'], dtype: 'float', domain: 'positive' },
  ],
  options,
  output: 'per-sample',
  reading: 'The catalog\'s dual form with the temperature as an input tensor (TempNet\'s output, bounded by `tempnetTemperature`); the per-sample loss vectors are built by the caller for the task (CLIP or LLM).',
});
