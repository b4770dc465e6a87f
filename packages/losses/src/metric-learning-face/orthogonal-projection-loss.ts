import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cosineSimilarityMatrix } from '../parts/distances.js';
import { allPairs } from '../parts/miners.js';

const options = {
  gamma: opt.number(0.5, 'γ: the weight of the between-class term (0.5 on CIFAR, up to 2).', '[0, inf)'),
};
export type OrthogonalProjectionOptions = OptionsOf<typeof options>;

/**
 * Orthogonal Projection Loss: same-class features parallel, different-class features orthogonal.
 *
 * S = F̂F̂ᵀ of the L2-normalised features; s = Σ_{i≠j, y_i=y_j} S_ij / (#pairs + 1e-6), d likewise over y_i ≠ y_j
 * (the authors' code, so an empty set gives 0); ℓ = (1 − s) + γ·|d|. Usually added to cross-entropy.
 *
 * @param features [N, D]
 * @param labels class indices [N] (int32)
 * @returns a scalar (a batch-level loss: no reduction)
 * @see Ranasinghe et al., "Orthogonal Projection Loss", ICCV 2021, arXiv:2103.14021
 */
export function orthogonalProjectionLoss(...args: Call<[features: Tensor, labels: Tensor], OrthogonalProjectionOptions>): Tensor {
  const [features, labels, { gamma }] = entry.check(args);
  const s = cosineSimilarityMatrix(features, features);
  const { pos, neg } = allPairs(labels);
  const mean = (m: Tensor) => m.where(s, 0).sum().div(m.cast(s.dtype).sum().add(1e-6));
  return mean(pos).neg().add(1).add(mean(neg).abs().mul(gamma));
}

export const entry = defineLoss({
  id: 'orthogonal-projection-loss',
  fn: orthogonalProjectionLoss,
  args: [
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'labels', shape: ['N'], dtype: 'int', domain: 'real' },
  ],
  options,
  output: 'batch',
});
