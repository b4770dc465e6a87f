import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type TemperatureScalingOptions = OptionsOf<typeof options>;

/**
 * Temperature scaling: the negative log-likelihood of frozen logits divided by one temperature T,
 * the objective a post-hoc calibrator minimises over T > 0.
 *
 * ℓᵢ(T) = −log softmax(zᵢ/T)_{yᵢ} = logsumexp(zᵢ/T) − z_{i,yᵢ}/T (max-shifted logsumexp, finite at
 * logits of ±1e4). T is a tensor argument — the calibrator's one parameter — so the gradient dℓ/dT
 * is available; the usual fit optimises log T (keeps T > 0) from T = 1.5 with LBFGS, which belongs
 * to @graft/optim, not to this objective. Calibrated probabilities are softmax(z/T*); the argmax,
 * hence the accuracy, is unchanged.
 *
 * @param logits validation logits [N, C] (frozen)
 * @param target class indices [N] (int32)
 * @param temperature T > 0, a scalar tensor []
 * @returns a scalar, or [N] with reduction 'none'
 * @see Guo, Pleiss, Sun & Weinberger, "On Calibration of Modern Neural Networks", ICML 2017 (used by
 *   "Set Learning for Accurate and Calibrated Models", ICLR 2024; "Optimizing Calibration by Gaining
 *   Aware of Prediction Correctness", 2024; "Label Distributionally Robust Losses for Multi-class
 *   Classification", 2023; "On the Limitations of Temperature Scaling for Distributions with Overlaps", ICLR 2024)
 */
export function temperatureScaling(...args: Call<[logits: Tensor, target: Tensor, temperature: Tensor], TemperatureScalingOptions>): Tensor {
  const [logits, target, temperature, { reduction }] = entry.check(args);
  const logp = logits.div(temperature).logSoftmax(-1);
  return applyReduction(logp.gather(-1, target.unsqueeze(-1)).squeeze(-1).neg(), { reduction });
}

export const entry = defineLoss({
  id: 'temperature-scaling',
  fn: temperatureScaling,
  args: [
    { name: 'logits', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'temperature', shape: [], dtype: 'float', domain: 'positive' },
  ],
  options,
  output: 'per-sample',
});
