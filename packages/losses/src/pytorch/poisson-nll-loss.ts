import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  logInput: opt.boolean(true, 'The input is log λ (true) or λ itself (false).'),
  full: opt.boolean(false, 'Add Stirling\'s approximation of log(y!) for targets y > 1.'),
  eps: opt.number(1e-8, 'Added to λ before its log when logInput is false.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type PoissonNllLossOptions = OptionsOf<typeof options>;

/**
 * Poisson negative log-likelihood, PyTorch's `F.poisson_nll_loss`.
 *
 * ℓ = e^{x} − y·x (logInput, x = log λ), or λ − y·log(λ + eps); with full, plus
 * y·log y − y + ½·log(2πy) where y > 1 (Stirling's log y!, 0 for y ≤ 1). The Stirling term's logs
 * see 2 where y ≤ 1, so y = 0 leaves no NaN in the gradient.
 *
 * @param input log-rates log λ (or rates λ ≥ 0 without logInput) [N, ...]
 * @param target counts y ≥ 0 [N, ...] (broadcastable to input)
 * @returns a scalar, or the elementwise losses [N, ...] with reduction 'none'
 * @see PyTorch 1.13, torch.nn.PoissonNLLLoss
 */
export function poissonNllLoss(...args: Call<[input: Tensor, target: Tensor], PoissonNllLossOptions>): Tensor {
  const [input, target, { logInput, full, eps, reduction }] = entry.check(args);
  let values = logInput ? input.exp().sub(target.mul(input)) : input.sub(target.mul(input.add(eps).log()));
  if (full) {
    const big = target.gt(1);
    const y = big.where(target, 2);
    const stirling = y.mul(y.log()).sub(y).add(y.mul(2 * Math.PI).log().mul(0.5));
    values = values.add(big.where(stirling, 0));
  }
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'poisson-nll-loss',
  aliases: ['poisson-nll'],
  fn: poissonNllLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'nonneg' },
  ],
  options,
  output: 'elementwise',
  meta: { name: 'Poisson negative log-likelihood loss', category: 'pytorch', papers: [] },
});
