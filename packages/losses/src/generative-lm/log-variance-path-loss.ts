import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  divergence: opt.oneOf(['log-variance', 'kl'] as const, 'log-variance', "'log-variance': Var_b(w_b), trajectories simulated under a detached reference process; 'kl': the reverse-KL baseline mean_b w_b, trajectories under the controlled process."),
};
export type LogVariancePathLossOptions = OptionsOf<typeof options>;

/**
 * The log-variance divergence on path space, for learned diffusion samplers.
 *
 * L_LV = Var_b(w_b) = mean_b (w_b − mean_j w_j)² (the biased 1/B variance; 1/(B − 1) only rescales), w_b = log
 * dP_u/dP_target of trajectory b; L_KL = mean_b w_b. The w_b come from the caller's discretised SDE simulation:
 * Euler–Maruyama steps of the controlled drift with the running integrals ½∫‖u‖²dt + ∫u·dW and the terminal
 * log-density ratio, the simulation itself under stop-gradient for the log-variance loss (any reference process
 * works there, which is the point: no mode collapse from sampling the learned process).
 *
 * @param input the per-trajectory log Radon–Nikodym estimates w [N]
 * @returns a scalar (one value per batch of trajectories)
 * @see Richter & Berner, "Improved sampling via learned diffusions", ICLR 2024, arXiv:2307.01198
 */
export function logVariancePathLoss(...args: Call<[input: Tensor], LogVariancePathLossOptions>): Tensor {
  const [input, { divergence }] = entry.check(args);
  return divergence === 'kl' ? input.mean() : input.sub(input.mean()).square().mean();
}

export const entry = defineLoss({
  id: 'log-variance-path-loss',
  fn: logVariancePathLoss,
  args: [{ name: 'input', shape: ['N'], dtype: 'float', domain: 'real' }],
  options,
  output: 'batch',
});
