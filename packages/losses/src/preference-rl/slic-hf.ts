import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { logRatioMargin } from '../parts/preference.js';

const options = {
  delta: opt.number(1, 'δ: the margin the chosen log-likelihood must exceed the rejected one by.', '[0, inf)'),
  lambda: opt.number(0.5, 'λ: the weight of the NLL regulariser on the target sequence (unspecified in the catalog; 0.5 chosen as a moderate default, tune per task).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type SlicHfOptions = OptionsOf<typeof options>;

/**
 * SLiC-HF: a rank-calibration hinge on the log-likelihood margin plus a cross-entropy regulariser toward a
 * target sequence (the SFT target).
 *
 * ℓ = max(0, δ − log π(y_w) + log π(y_l)) − λ·log π(y_ref). The hinge is piecewise linear (finite everywhere;
 * its gradient is 0 or ±1 off the kink). Without `target` the regulariser is left out.
 *
 * Reading: the DPA-logic paper names SLiC as a DPA variant; this is the SLiC-HF paper's calibration loss with
 * the SFT-target regulariser; λ is not given by the catalog (see the option).
 *
 * @param chosen policy log π(y_w) [N]
 * @param rejected policy log π(y_l) [N]
 * @param target optional policy log π(y_ref) [N] of the regularisation target
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zhao et al., "SLiC-HF: Sequence Likelihood Calibration with Human Feedback", 2023, arXiv:2305.10425
 */
export function slicHfLoss(...args: Call<[chosen: Tensor, rejected: Tensor, target?: Tensor], SlicHfOptions>): Tensor {
  const [chosen, rejected, target, { delta, lambda, reduction }] = entry.check(args);
  const hinge = logRatioMargin(chosen, rejected).neg().add(delta).relu();
  return applyReduction(target ? hinge.sub(target.mul(lambda)) : hinge, { reduction });
}

export const entry = defineLoss({
  id: 'slic-hf',
  fn: slicHfLoss,
  args: [
    { name: 'chosen', shape: ['N'], dtype: 'float', domain: 'log-prob' },
    { name: 'rejected', shape: ['N'], dtype: 'float', domain: 'log-prob' },
    { name: 'target', shape: ['N'], dtype: 'float', domain: 'log-prob', optional: true },
  ],
  options,
  output: 'per-sample',
  reading: 'SLiC-HF calibration hinge on the sequence log-likelihood margin plus λ·NLL of an optional regularisation target; λ = 0.5 is chosen (not given).',
});
