import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { pixelCrossEntropy } from './cross-pseudo-supervision.js';

const options = {
  distanceThreshold: opt.number(1, 'A background pixel whose feature lies within this Euclidean distance of a stored foreground centroid is down-weighted (not in the abstract: 1, for features of unit scale; tune it to the feature norm).', '[0, inf)'),
  downWeight: opt.number(0.5, 'The weight (< 1) such pixels get (not in the abstract: 0.5).', '[0, 1]'),
  backgroundIndex: opt.integer(0, 'The background class index.'),
  reduction: opt.reduction(),
};
export type BacsOptions = OptionsOf<typeof options>;

/**
 * Background-aware cross-entropy (BACS): pixel CE with background pixels that look like an old foreground class
 * down-weighted (continual segmentation, where old classes are labelled background).
 *
 * w_i = downWeight if y_i = background and min_k ‖f_i − μ_k‖ < threshold, else 1 (held constant); ℓ = Σ w_i·CE_i / Σ w_i.
 * CE is logsumexp − target logit (max-shifted). The paper's masked feature distillation is a separate MSE term
 * (use mse-loss on the masked features).
 *
 * @param input logits [N, C, ...spatial]
 * @param target class indices [N, ...spatial] (int32)
 * @param features latent features [N, D, ...spatial] at the logits' resolution (no gradient through the weights)
 * @param centroids stored previous-step foreground centroids [K, D]
 * @returns a scalar, or the weighted per-pixel values w_i·CE_i [N, ...spatial] with reduction 'none'
 * @see "BACS: Background Aware Continual Semantic Segmentation", 2024
 */
export function backgroundAwareCeBacs(...args: Call<[input: Tensor, target: Tensor, features: Tensor, centroids: Tensor], BacsOptions>): Tensor {
  const [input, target, features, centroids, { distanceThreshold, downWeight, backgroundIndex, reduction }] = entry.check(args);
  const f = features.detach().movedim(1, -1).unsqueeze(-2);
  const d2 = f.sub(centroids.detach()).square().sum(-1).amin(-1);
  const near = d2.lt(distanceThreshold * distanceThreshold).logicalAnd(target.eq(backgroundIndex));
  const w = near.where(downWeight, 1).cast(input.dtype);
  return applyReduction(pixelCrossEntropy(input, target), { reduction, weight: w });
}

export const entry = defineLoss({
  id: 'background-aware-ce-bacs',
  fn: backgroundAwareCeBacs,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', '...'], dtype: 'int', domain: 'label' },
    { name: 'features', shape: ['N', 'D', '...'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'centroids', shape: ['K', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  meanIsNotMeanOfNone: "'mean' is the weighted mean Σ w·CE / Σ w, not the mean of the weighted values.",
  reading: 'Euclidean distance of each pixel feature to the nearest stored foreground centroid; threshold 1 and weight 0.5 (not in the abstract); weighted mean Σ w·CE / Σ w; the feature-distillation term is left to mse-loss.',
});
