import { ShapeError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { kernelMmd } from '../regression-distribution/kernel-mmd.js';

const options = {
  bandwidth: opt.number(null, 'h of the RBF kernels exp(−d²/h); null: the mean pairwise squared distance of the EPS vectors, held constant.', '(0, inf)'),
  kernelMul: opt.number(2, 'Ratio between consecutive bandwidths of the multi-kernel sum.', '(0, inf)'),
  kernelNum: opt.integer(1, 'How many RBF kernels are summed (1: a single Gaussian, the plain MMD test).', '[1, 32]'),
  unbiased: opt.boolean(true, 'The unbiased U-statistic (diagonals left out); false: the biased V-statistic.'),
};
export type ExpectedPerturbationScoreOptions = OptionsOf<typeof options>;

/**
 * Expected Perturbation Score (EPS) detection statistic: MMD² between the perturbation-averaged diffusion scores of
 * test samples and of natural samples.
 *
 * EPS(x) = mean_{(t, ε)} s_θ(x + σ_t·ε, t) over the T draws of noise level and perturbation; the statistic is the
 * kernel MMD² (kernel-mmd's estimator) between {EPS(x_i)} and {EPS(x'_j)} over flattened features. How to wire it:
 * run the pretrained score network on each sample's T perturbed copies (x + σ_t·ε at the caller's noise levels,
 * EPS-AD uses t ∈ [0, t*] with small t*) and pass the outputs stacked as [M, T, ...]. Reading: a multi-RBF kernel
 * on the EPS vectors stands in for EPS-AD's trained deep kernel (a model of its own, the caller's).
 *
 * @param input score-network outputs for the test samples [M, T, ...]
 * @param target score-network outputs for natural samples [N, T, ...]
 * @returns a scalar
 * @see Zhang et al., "Detecting Adversarial Data by Probing Multiple Perturbations Using Expected Perturbation Score", ICML 2023, arXiv:2305.16035
 */
export function expectedPerturbationScore(...args: Call<[input: Tensor, target: Tensor], ExpectedPerturbationScoreOptions>): Tensor {
  const [x, y, opts] = entry.check(args);
  // '...' binds only its length: the feature dims of the two sets must agree before any kernel runs.
  if (x.shape.slice(2).join() !== y.shape.slice(2).join()) {
    throw new ShapeError('expectedPerturbationScore', `target: expected feature dims [${x.shape.slice(2).join(', ')}] (from input), got shape [${y.shape.join(', ')}]`);
  }
  const eps = (s: Tensor) => s.mean(1).reshape([s.shape[0], -1]);
  return kernelMmd(eps(x), eps(y), opts);
}

export const entry = defineLoss({
  id: 'expected-perturbation-score',
  fn: expectedPerturbationScore,
  args: [
    { name: 'input', shape: ['M', 'T', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'T', '...'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
  reading: 'EPS = mean of the score outputs over the T (t, ε) draws; statistic = multi-RBF kernel MMD² (kernel-mmd) between test and natural EPS vectors, not EPS-AD\'s trained deep kernel.',
  surrogateGradient: 'With bandwidth null, h is computed from the EPS vectors and held constant (as kernel-mmd): the gradient is not the derivative of the value through h.',
});
