import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { squaredEuclideanMatrix } from '../parts/distances.js';

const options = {
  alpha: opt.number(1, 'α: the temperature of the soft assignment (not in the abstract; 1 for unit-scale points: smaller α approaches the hard partition into the centres\' Voronoi cells).', '(0, inf)'),
};
export type RangePartitionEntropyOptions = OptionsOf<typeof options>;

/**
 * Differentiable range-partition entropy: the Shannon entropy of the sizes of a soft partition of a point set
 * into K ranges (balls around K centres), the smooth surrogate of the entropy H = −Σ_k (|S_k|/n)·log(|S_k|/n) of a
 * partition into ranges that bounds the running time of instance-optimal geometric algorithms.
 *
 * a_ik = softmax_k(−‖x_i − c_k‖²/α) (max-shifted), m_k = (1/n)·Σ_i a_ik, H = −Σ_k m_k·log m_k, the log taken of
 * max(m_k, 1e-30) so an empty range adds 0 with a finite gradient. 0 ≤ H ≤ log K; minimising it gathers the points
 * into few ranges (EntropyNet's objective); for attention, pass the keys as points and the cluster centres.
 *
 * @param points the point set x [N, D]
 * @param centres the range centres c [K, D] (fixed anchors, k-means++ seeds or learned)
 * @returns a scalar
 * @see Shihab, Akter & Sharma, "Differentiable Entropy Regularization for Geometry and Neural Networks", 2025, arXiv:2509.03733
 */
export function rangePartitionEntropy(...args: Call<[points: Tensor, centres: Tensor], RangePartitionEntropyOptions>): Tensor {
  const [points, centres, { alpha }] = entry.check(args);
  const assign = squaredEuclideanMatrix(points, centres).div(-alpha).softmax(-1); // [N, K]
  const mass = assign.mean(0);
  return mass.mul(mass.clamp(1e-30).log()).sum().neg();
}

export const entry = defineLoss({
  id: 'range-partition-entropy',
  fn: rangePartitionEntropy,
  args: [
    { name: 'points', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'centres', shape: ['K', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
  reading: 'The ball range family with a softmax soft partition: a_ik = softmax_k(−‖x_i − c_k‖²/α), H = −Σ_k m_k log m_k of the mean masses m_k; the centres are an argument (the caller\'s anchors or learned), the halfspace family and EntropyNet itself are not part of the term.',
});
