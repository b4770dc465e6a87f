import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { hlGaussTarget, softTargetCe } from '../parts/regression-bins.js';
import { applyReduction } from '../reduce.js';

const options = {
  vMin: opt.number(-10, 'The low end of the value range (the catalog leaves it to the task; −10, as the Atari value heads of the paper, is the default).'),
  vMax: opt.number(10, 'The high end of the value range (default 10, see vMin); must exceed vMin.'),
  sigmaOverBinWidth: opt.number(0.75, 'σ / bin width: the Gaussian smoothing of the target, 0.75 in the paper.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type HlGaussOptions = OptionsOf<typeof options>;

/**
 * HL-Gauss: cross-entropy against a Gaussian histogram of the scalar target (regression as classification).
 *
 * K bins of width w = (vMax − vMin)/K on [vMin, vMax]; q_k = Φ((b_k − y)/σ) − Φ((b_{k−1} − y)/σ), renormalised
 * over the K bins, σ = sigmaOverBinWidth·w, y clamped to the range; ℓ = −Σ_k q_k·log_softmax(z)_k. Stable form:
 * q from erf differences (held constant), log_softmax max-shifted. The prediction is Σ_k softmax(z)_k·c_k.
 *
 * @param input bin logits z [N, K]
 * @param target scalar targets y [N] (no gradient: the histogram is a constant target)
 * @returns the mean over samples; 'sum'; or [N] with reduction 'none'
 * @see Farebrother et al., "Stop Regressing: Training Value Functions via Classification for Scalable Deep RL", ICML 2024, arXiv:2403.03950
 */
export function hlGaussLoss(...args: Call<[input: Tensor, target: Tensor], HlGaussOptions>): Tensor {
  const [input, target, { vMin, vMax, sigmaOverBinWidth, reduction }] = entry.check(args);
  if (!(vMax > vMin)) throw new ArgumentError('hlGaussLoss', `vMax must exceed vMin, got vMin = ${vMin}, vMax = ${vMax}`);
  const K = input.shape[1];
  const q = hlGaussTarget(target, K, vMin, vMax, (sigmaOverBinWidth * (vMax - vMin)) / K);
  return applyReduction(softTargetCe(input, q), { reduction });
}

export const entry = defineLoss({
  id: 'hl-gauss',
  fn: hlGaussLoss,
  args: [
    { name: 'input', shape: ['N', 'K'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'per-sample',
});
