import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { multiKernelGrams } from '../parts/divergence-kernels.js';

const options = {
  bandwidth: opt.number(null, 'h: the base kernel exp(−d²/h) (h = 2s² of a Gaussian of width s); null: the mean pairwise squared distance over X ∪ Y, held constant (the CHASE/DAN code).', '(0, inf)'),
  kernelMul: opt.number(2, 'The ratio between consecutive bandwidths of the multi-kernel sum.', '(0, inf)'),
  kernelNum: opt.integer(5, 'How many RBF kernels are summed (bandwidths h·mul^(i − ⌊num/2⌋)); 1: a single Gaussian.', '[1, 32]'),
  unbiased: opt.boolean(true, 'The unbiased U-statistic (the diagonals of K_XX and K_YY left out); false: the biased V-statistic of the CHASE code.'),
};
export type KernelMmdOptions = OptionsOf<typeof options>;

/**
 * Squared kernel maximum mean discrepancy between sample sets X and Y.
 *
 * Unbiased: MMD² = Σ_{i≠j} k(x_i, x_j)/(m(m − 1)) + Σ_{i≠j} k(y_i, y_j)/(n(n − 1)) − 2·mean k(x_i, y_j); biased:
 * mean K_XX + mean K_YY − 2·mean K_XY. k is the multi-kernel RBF Σ_i exp(−‖a − b‖²/(h·mul^(i − ⌊num/2⌋))).
 * A set of one sample has no off-diagonal pairs: its unbiased term is 0. The CHASE total (CE + 0.1·MMD) and
 * EPS-AD's deep kernel belong to the caller.
 *
 * @param input samples X [M, D]
 * @param target samples Y [N, D]
 * @returns a scalar
 * @see Gretton et al., "A Kernel Two-Sample Test", JMLR 2012; CHASE (Wen et al., NeurIPS 2024, arXiv:2410.07153); EPS-AD (Zhang et al., ICML 2023, arXiv:2305.16035)
 */
export function kernelMmd(...args: Call<[input: Tensor, target: Tensor], KernelMmdOptions>): Tensor {
  const [x, y, { bandwidth, kernelMul, kernelNum, unbiased }] = entry.check(args);
  const [kxx, kyy, kxy] = multiKernelGrams(x, y, bandwidth, kernelMul, kernelNum);
  const [m, n] = [x.shape[0], y.shape[0]];
  const within = (k: Tensor, s: number) => (unbiased ? k.sum().sub(k.diagonal().sum()).div(Math.max(s * (s - 1), 1)) : k.mean());
  return within(kxx, m).add(within(kyy, n)).sub(kxy.mean().mul(2));
}

export const entry = defineLoss({
  id: 'kernel-mmd',
  fn: kernelMmd,
  args: [
    { name: 'input', shape: ['M', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
  surrogateGradient: 'With bandwidth null, h is computed from the samples and held constant (detached, as the CHASE code): the gradient is not the derivative of the value through h.',
});
