/**
 * Kernel two-sample quantities between sample sets X [m, D] and Y [n, D], shared by kernel-mmd and the
 * kernel-density form of cs-divergence. Squared distances come from the differences (parts/distances), so the
 * diagonal is exactly 0 and no cancellation makes them negative.
 */
import type { Tensor } from '@graft/core';
import { squaredEuclideanMatrix } from './distances.js';

/** log mean_{i,j} exp(−‖x_i − y_j‖²/(2σ²)) as a max-shifted logsumexp minus log(m·n). */
export function logMeanGaussianKernel(x: Tensor, y: Tensor, sigma: number): Tensor {
  const d2 = squaredEuclideanMatrix(x, y);
  return d2.div(-2 * sigma * sigma).logsumexp([0, 1]).sub(Math.log(x.shape[0] * y.shape[0]));
}

/**
 * The multi-kernel RBF of the DAN/CHASE code: k(a, b) = Σ_{i<num} exp(−‖a − b‖²/(h·mul^(i − ⌊num/2⌋))), with
 * h = `bandwidth`, or (null) the mean pairwise squared distance over X ∪ Y, Σ d²/(n² − n), held constant.
 * Returns the three Gram blocks K_XX [m, m], K_YY [n, n], K_XY [m, n].
 */
export function multiKernelGrams(x: Tensor, y: Tensor, bandwidth: number | null, mul: number, num: number): [Tensor, Tensor, Tensor] {
  const [dxx, dyy, dxy] = [squaredEuclideanMatrix(x, x), squaredEuclideanMatrix(y, y), squaredEuclideanMatrix(x, y)];
  const total = x.shape[0] + y.shape[0];
  const h = bandwidth ?? dxx.sum().add(dyy.sum()).add(dxy.sum().mul(2)).detach().div(total * total - total).clamp(1e-12);
  const gram = (d2: Tensor) => {
    let k: Tensor | null = null;
    for (let i = 0; i < num; i++) {
      const term = d2.neg().div(typeof h === 'number' ? h * mul ** (i - Math.floor(num / 2)) : h.mul(mul ** (i - Math.floor(num / 2)))).exp();
      k = k ? k.add(term) : term;
    }
    return k!;
  };
  return [gram(dxx), gram(dyy), gram(dxy)];
}
