import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { checkPositive } from '../parts/class-stats.js';

const options = {
  sourcePriors: opt.tensor(['C'], 'π_src [C] (> 0, renormalised): the class priors the source model was trained under; absent: uniform.'),
  emIters: opt.integer(100, 'EM iterations (the catalog gives none; 100 reaches the fixed point to float precision on typical data).', '[1, inf)'),
};
export type OnTargetPriorEstimationOptions = OptionsOf<typeof options>;

/**
 * On-target class-prior estimation by EM (Saerens et al. 2002): re-estimates the class distribution of
 * unlabeled target data from a source model's posteriors.
 *
 * Starting from π_t = π_src, iterate p(k|x) ∝ p_src(k|x)·π_t,k/π_src,k (renormalised per sample),
 * π_t,k = mean_x p(k|x). The on-target model is then supervised with z + log π_t − log π_src (or π_t is
 * learnt jointly).
 *
 * @param probs source-model probabilities p_src [N, C] on target data
 * @returns the estimated target prior π_t [C]
 * @see Saerens et al., "Adjusting the Outputs of a Classifier to New a Priori Probabilities", Neural Computation 2002; Jing et al., "On-target Adaptation", 2021
 */
export function onTargetPriorEstimation(...args: Call<[probs: Tensor], OnTargetPriorEstimationOptions>): Tensor {
  const [probs, { sourcePriors, emIters }] = entry.check(args);
  const c = probs.shape[1];
  let src = probs.newFull([c], 1 / c);
  if (sourcePriors) {
    checkPositive('onTargetPriorEstimation', 'sourcePriors', sourcePriors);
    const p = sourcePriors.detach().cast(probs.dtype);
    src = p.div(p.sum());
  }
  let prior = src;
  for (let i = 0; i < emIters; i++) {
    const joint = probs.mul(prior.div(src));
    const post = joint.div(joint.sum(-1, true).clamp(1e-300));
    prior = post.mean(0);
  }
  return prior;
}

export const entry = defineLoss({
  id: 'on-target-prior-estimation',
  fn: onTargetPriorEstimation,
  args: [{ name: 'probs', shape: ['N', 'C'], dtype: 'float', domain: 'simplex' }],
  options,
  output: 'batch',
  reading: "the EM prior re-estimation of Saerens et al. (the abstract only says the class balance is learnt from target data), 100 iterations by default; the adjusted supervision z + log π_t − log π_src is posthoc-logit-adjustment's form.",
});
