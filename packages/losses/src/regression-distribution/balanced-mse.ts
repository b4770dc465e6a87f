import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  sigma: opt.number(1, 'σ: the noise scale when no learnable `sigma` tensor is passed (the paper initialises the learnable σ at 1).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type BalancedMseOptions = OptionsOf<typeof options>;

/**
 * Balanced MSE, batch Monte-Carlo form (BMC): the likelihood of each target against every target in the batch.
 *
 * logits_ij = −(ŷ_i − y_j)²/(2σ²); ℓ_i = CE(logits_i, i) = lse_j logits_ij − logits_ii (max-shifted); ℓ_i is then
 * multiplied by sg(2σ²) to keep the MSE's scale (the authors' code). σ is learnable: pass it as the third tensor
 * (a scalar > 0, e.g. softplus of a parameter), or fix it with the `sigma` option. Because of the stop-gradient,
 * the gradient with respect to σ is that of the CE times the constant 2σ², not the derivative of the value.
 *
 * @param input predictions ŷ [N]
 * @param target targets y [N]
 * @param sigma optional learnable noise scale σ [] (> 0)
 * @returns the mean over samples; 'sum'; or [N] with reduction 'none'
 * @see Ren et al., "Balanced MSE for Imbalanced Visual Regression", CVPR 2022, arXiv:2203.16427
 */
export function balancedMseLoss(...args: Call<[input: Tensor, target: Tensor, sigma?: Tensor], BalancedMseOptions>): Tensor {
  const [input, target, sigmaT, { sigma, reduction }] = entry.check(args);
  const twoVar = sigmaT ? sigmaT.square().mul(2) : sigma * sigma * 2;
  const logits = input.unsqueeze(1).sub(target.unsqueeze(0)).square().neg().div(twoVar);
  const ce = logits.logsumexp(1).sub(logits.diagonal());
  return applyReduction(ce.mul(typeof twoVar === 'number' ? twoVar : twoVar.detach()), { reduction });
}

export const entry = defineLoss({
  id: 'balanced-mse',
  fn: balancedMseLoss,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'sigma', shape: [], dtype: 'float', domain: 'positive', optional: true },
  ],
  options,
  output: 'per-sample',
  surrogateGradient: 'The loss is scaled by stop_gradient(2σ²) (the authors\' code): the gradient with respect to σ is not the derivative of the value.',
});
