import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { safeSqrt } from '../parts/distances.js';
import { cosineLogits, marginSoftmaxArgs, softmaxCrossEntropy } from '../parts/margin-softmax.js';
import { applyReduction } from '../reduce.js';

const options = {
  T: opt.number(0.05, 'T: the temperature of the normalized softmax (Zhai & Wu\'s 0.05, the loss the paper builds on).', '(0, inf)'),
  mu: opt.number(1, 'μ: the weight of the hypersphere constraint (not in the abstract; 1 puts it on the scale of the CE).', '[0, inf)'),
  radius: opt.number(1, 'r: the radius of the hypersphere the raw embeddings are held on (1, the unit sphere the cosines live on).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type HypersphericalLatentConstraintOptions = OptionsOf<typeof options>;

/**
 * Normalized softmax with a hyperspherical latent-space constraint: the cosine classifier's cross-entropy, plus a
 * penalty that holds the raw embeddings themselves on a hypersphere, so that the latent space the classifier is
 * trained on is the one a nearest-neighbour (Euclidean or cosine) search over novel classes uses.
 *
 * ℓ_i = lse_k(cos(x_i, W_k)/T) − cos(x_i, W_y)/T + μ·(‖x_i‖₂ − r)², the CE max-shifted; ‖x‖ by a square root with
 * gradient 0 at x = 0 (finite at a zero embedding).
 *
 * @param embeddings features x [N, D] (not normalised: the constraint acts on their norm)
 * @param labels class indices [N] (int32)
 * @param weight class proxies W [C, D]
 * @returns the mean over samples; 'sum'; or the per-sample losses [N] with reduction 'none'
 * @see "Hyperspherical embedding for novel class classification", 2021 (arXiv, February 2021);
 *   Zhai & Wu, "Classification is a Strong Baseline for Deep Metric Learning", BMVC 2019
 */
export function hypersphericalLatentConstraint(...args: Call<[embeddings: Tensor, labels: Tensor, weight: Tensor], HypersphericalLatentConstraintOptions>): Tensor {
  const [embeddings, labels, weight, { T, mu, radius, reduction }] = entry.check(args);
  const ce = softmaxCrossEntropy(cosineLogits(embeddings, weight).div(T), labels);
  const norm = safeSqrt(embeddings.square().sum(-1));
  return applyReduction(ce.add(norm.sub(radius).square().mul(mu)), { reduction });
}

export const entry = defineLoss({
  id: 'hyperspherical-latent-constraint',
  fn: hypersphericalLatentConstraint,
  args: marginSoftmaxArgs,
  options,
  output: 'per-sample',
  reading: 'No released code was found; we read the constraint as a soft equality constraint ‖x‖₂ = r on the raw latent vectors, μ(‖x‖ − r)², added to the normalized-softmax CE of Zhai & Wu (cosine logits over the class proxies at temperature T).',
});
