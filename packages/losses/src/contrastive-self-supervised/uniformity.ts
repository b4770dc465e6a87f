import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { l2Normalize, squaredEuclideanMatrix } from '../parts/distances.js';

const options = {
  t: opt.number(2, 't: the Gaussian-potential scale (Wang & Isola use 2).', '(0, inf)'),
};
export type UniformityOptions = OptionsOf<typeof options>;

/**
 * Uniformity (Wang & Isola): the log of the mean Gaussian potential between the normalised embeddings.
 *
 * u = l2_normalize(z); L = log mean_{i<j} exp(−t·‖u_i − u_j‖²) = logsumexp_{i<j}(−t·d²_ij) − log(N(N − 1)/2).
 * Stable form: a max-shifted logsumexp over the strict upper triangle (the squared distances taken from the
 * differences, so the gradient is smooth at coincident points). A batch of one has no pair: the value is 0.
 *
 * @param input embeddings [N, D]
 * @returns a scalar
 * @see Wang & Isola, "Understanding Contrastive Representation Learning through Alignment and Uniformity on the
 *   Hypersphere", ICML 2020; Wang & Liu, "Understanding the Behaviour of Contrastive Loss", CVPR 2021
 */
export function uniformityLoss(...args: Call<[input: Tensor], UniformityOptions>): Tensor {
  const [input, { t }] = entry.check(args);
  const n = input.shape[0];
  if (n < 2) return input.sum().mul(0);
  const u = l2Normalize(input);
  const upper = u.newOnes([n, n]).triu(1).gt(0);
  return squaredEuclideanMatrix(u, u).mul(-t).maskedFill(upper.logicalNot(), -Infinity).flatten().logsumexp(0).sub(Math.log((n * (n - 1)) / 2));
}

export const entry = defineLoss({
  id: 'uniformity',
  fn: uniformityLoss,
  args: [{ name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' }],
  options,
  output: 'batch',
});
