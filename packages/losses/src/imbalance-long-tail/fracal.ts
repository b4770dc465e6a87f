import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { checkPositive, countsOrUniform } from '../parts/class-stats.js';

const options = {
  classCounts: opt.tensor(['C'], 'Training class frequencies [C] (> 0; renormalised to π); absent: uniform.'),
  fractalDimension: opt.tensor(['C'], 'Per-class fractal dimension FD [C] (> 0) of the ground-truth box centres; absent: all 1.'),
  lambda: opt.number(1, 'λ: exponent of the frequency term (1: standard logit adjustment).', '[0, inf)'),
  beta: opt.number(1, 'β: exponent of the space term; the abstract gives no value, 1 weighs it like the frequency term.', '[0, inf)'),
  form: opt.oneOf(['softmax', 'sigmoid'], 'softmax', "'softmax': renormalise over classes; 'sigmoid': per-class scores used directly."),
};
export type FracalOptions = OptionsOf<typeof options>;

/**
 * FRACAL: post-hoc calibration of class probabilities by class frequency and by the spatial spread
 * (fractal dimension) of each class.
 *
 * p'_k ∝ p_k / (π_k^λ·FD_k^β), renormalised over k for softmax outputs (sigmoid outputs used directly).
 * FD_k is the slope of log N(ε) against log(1/ε) of box-counting over grid scales (preprocessing).
 *
 * @param probs class probabilities p [N, C]
 * @returns calibrated probabilities [N, C]
 * @see Alexandridis et al., "Fractal Calibration for long-tailed object detection", CVPR 2025
 */
export function fracal(...args: Call<[probs: Tensor], FracalOptions>): Tensor {
  const [probs, { classCounts, fractalDimension, lambda, beta, form }] = entry.check(args);
  const c = probs.shape[1];
  const n = countsOrUniform('fracal', classCounts, probs, c);
  let logR = n.div(n.sum()).log().mul(-lambda);
  if (fractalDimension) {
    checkPositive('fracal', 'fractalDimension', fractalDimension);
    logR = logR.sub(fractalDimension.detach().cast(probs.dtype).log().mul(beta));
  }
  const scaled = probs.mul(logR.sub(logR.amax()).exp()); // r_k / max r: the scale cancels in the softmax form
  return form === 'softmax' ? scaled.div(scaled.sum(-1, true).clamp(1e-300)) : probs.mul(logR.exp());
}

export const entry = defineLoss({
  id: 'fracal',
  fn: fracal,
  args: [{ name: 'probs', shape: ['N', 'C'], dtype: 'float', domain: 'simplex' }],
  options,
  output: 'per-sample',
  reading: 'p\'_k ∝ p_k/(π_k^λ·FD_k^β): the frequency and space terms combined multiplicatively (a logit adjustment plus a log-FD adjustment), renormalised for softmax outputs; FD_k is given.',
});
