import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  form: opt.oneOf(['step', 'ramp'], 'ramp', 'The rejection cost l_rej: step 1[ε′ ≤ αε] or ramp (1 − ε′/ε)^t on [0, ε].'),
  alpha: opt.number(0.5, 'α of the step cost (not given in the catalog: 0.5).', '[0, 1]'),
  t: opt.number(2, 't of the ramp cost (not given in the catalog: 2).', '(0, inf)'),
  eps: opt.number(8 / 255, 'ε: the perturbation budget.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type StratifiedRejectionLossOptions = OptionsOf<typeof options>;

/**
 * Stratified rejection loss: the cost of a selective classifier under attack, where rejecting a slightly
 * perturbed input costs more than rejecting a heavily perturbed one.
 *
 * costᵢ = l_rej(ε′ᵢ) if rejected, else 1 − correctᵢ; l_rej nonincreasing: step 1[ε′ ≤ αε] or ramp
 * (1 − min(ε′, ε)/ε)^t. Averaged over samples; the worst case over attacks is the caller's maximum.
 *
 * @param correct 1 where the prediction is right [N] (float 0/1)
 * @param rejected 1 where the input is rejected [N] (float 0/1)
 * @param epsPrime the attack's perturbation magnitude ε′ [N]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Chen et al., "Stratified Adversarial Robustness with Rejection", ICML 2023
 */
export function stratifiedRejectionLoss(...args: Call<[correct: Tensor, rejected: Tensor, epsPrime: Tensor], StratifiedRejectionLossOptions>): Tensor {
  const [correct, rejected, epsPrime, { form, alpha, t, eps, reduction }] = entry.check(args);
  const lrej = form === 'step' ? epsPrime.le(alpha * eps).cast(epsPrime.dtype) : epsPrime.clamp(undefined, eps).div(-eps).add(1).pow(t);
  return applyReduction(rejected.gt(0.5).where(lrej, correct.neg().add(1)), { reduction });
}

export const entry = defineLoss({
  id: 'stratified-rejection-loss',
  fn: stratifiedRejectionLoss,
  args: [
    { name: 'correct', shape: ['N'], dtype: 'float', domain: 'binary' },
    { name: 'rejected', shape: ['N'], dtype: 'float', domain: 'binary' },
    { name: 'epsPrime', shape: ['N'], dtype: 'float', domain: 'nonneg' },
  ],
  options,
  output: 'per-sample',
  nonDifferentiable: 'an evaluation cost of hard correct/reject decisions (piecewise constant in them)',
  reading: 'Per-sample flags and ε′ are inputs; ramp (default, t = 2) or step (α = 0.5) rejection cost, both parameters chosen as the catalog gives none; the worst case over attacks is the caller\'s.',
});
