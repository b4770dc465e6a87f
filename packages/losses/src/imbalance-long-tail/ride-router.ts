import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  w1: opt.number(100, 'w₁: the weight of the positive router targets (pos_weight; tuned, 100 on ImageNet-LT).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type RideRouterOptions = OptionsOf<typeof options>;

/**
 * RIDE's expert-router loss: BCE with a positive weight on the router's "ask the next expert" decision.
 *
 * ℓᵢ = −[w₁·tᵢ·log σ(rᵢ) + (1 − tᵢ)·log σ(−rᵢ)] (stable log-sigmoids). The targets tᵢ = 1 where the current
 * ensemble is wrong and the next expert's top-k is right are built from the experts' predictions without
 * gradient, in the training loop.
 *
 * @param input router logits r [N]
 * @param target router targets t [N] in {0, 1}
 * @returns a scalar, or [N] with reduction 'none'
 * @see Wang et al., "Long-tailed Recognition by Routing Diverse Distribution-Aware Experts", ICLR 2021
 */
export function rideRouterLoss(...args: Call<[input: Tensor, target: Tensor], RideRouterOptions>): Tensor {
  const [input, target, { w1, reduction }] = entry.check(args);
  const t = target.cast(input.dtype);
  return applyReduction(t.mul(input.logSigmoid()).mul(w1).add(t.neg().add(1).mul(input.neg().logSigmoid())).neg(), { reduction });
}

export const entry = defineLoss({
  id: 'ride-router',
  fn: rideRouterLoss,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'float', domain: 'binary' },
  ],
  options,
  output: 'elementwise',
  reading: 'BCE with pos_weight w₁ on the router logit (the paper\'s weighted binary cross-entropy); the targets are inputs, built by the training loop from the experts\' predictions.',
});
