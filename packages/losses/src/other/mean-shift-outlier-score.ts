import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  k: opt.integer(10, 'k: the neighbours averaged per point, the point itself included (the authors pick k in [2, 100] by validation AUC; the catalog gives none, 10 is a mid-range choice); more than N counts as N.', '[1, inf)'),
  iterations: opt.integer(1, 'The mean-shift steps before scoring: 1, 2, 3 are the paper\'s MSS1–MSS3; 0 scores against the data itself (plain reconstruction error).', '[0, inf)'),
  reduction: opt.reduction('none'),
};
export type MeanShiftOutlierScoreOptions = OptionsOf<typeof options>;

/**
 * Mean-shift outlier score (MSS): the autoencoder's reconstruction error measured against a mean-shifted copy of the
 * data instead of the data itself. An inlier moves little under mean-shift and stays well reconstructed; an outlier
 * that the autoencoder reconstructs too well is pulled towards its neighbours, away from its reconstruction.
 *
 * y⁽⁰⁾ = x; y⁽ʲ⁺¹⁾ᵢ = mean of yⱼ over the k nearest neighbours of y⁽ʲ⁾ᵢ among y⁽ʲ⁾ (squared Euclidean, itself
 * included); scoreᵢ = Σ_d (x̂ᵢd − y⁽ᵗ⁾ᵢd)². Follows Ra1demmmm/Autoencoder-based-Outlier-Detection, libs/data_shift.py
 * (`mean_shift`, sklearn's kneighbors_graph with include_self) and libs/loss.py (`mse_samples` against the shifted
 * target). The neighbour sets are chosen on the device by top-k of the detached distances; the score is
 * differentiable in both inputs wherever those sets do not change (through the neighbour means).
 *
 * @param reconstructions the autoencoder's outputs x̂ [N, D]
 * @param data the points x [N, D] (the batch or dataset the neighbours are searched in)
 * @returns the scores [N] (reduction 'none', the default), or their mean / sum
 * @see Tan et al., "Improving Autoencoder-based Outlier Detection with Adjustable Probabilistic Reconstruction Error and Mean-shift Outlier Scoring", 2023, arXiv:2304.00709
 */
export function meanShiftOutlierScore(...args: Call<[reconstructions: Tensor, data: Tensor], MeanShiftOutlierScoreOptions>): Tensor {
  const [reconstructions, data, { k, iterations, reduction }] = entry.check(args);
  const [n, d] = data.shape;
  const kk = Math.min(k, n);
  let shifted = data;
  for (let j = 0; j < iterations && n > 0; j++) {
    const y = shifted.detach();
    const dist2 = y.unsqueeze(1).sub(y.unsqueeze(0)).square().sum(-1);
    const { indices } = dist2.topk(kk, -1, false);
    shifted = shifted.indexSelect(0, indices.reshape([n * kk])).reshape([n, kk, d]).mean(1);
  }
  return applyReduction(reconstructions.sub(shifted).square().sum(-1), { reduction });
}

export const entry = defineLoss({
  id: 'mean-shift-outlier-score',
  fn: meanShiftOutlierScore,
  args: [
    { name: 'reconstructions', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'data', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  reading: "The authors' code: t mean-shift steps, each replacing every point by the mean of its k nearest neighbours (itself included) in the current shifted set, then the per-sample squared error of the reconstruction against the shifted point (their MSE autoencoder's score; the APRE variant's score is the regression entry's business). The autoencoder is the caller's: its reconstructions are an argument.",
});
