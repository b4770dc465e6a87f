import { ArgumentError, cat, type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { l2Normalize } from '../parts/distances.js';
import { offDiagonal } from '../parts/contrastive-infonce.js';

const options = {
  eta: opt.number(10, 'η: the weight of the contrastive regulariser (the authors\' eta_weight, 10).', '[0, inf)'),
  tau: opt.number(0.07, 'τ: the temperature of the focal supervised contrastive loss (the authors\' 0.07).', '(0, inf)'),
};
export type CoreTuningOptions = OptionsOf<typeof options>;

/**
 * Core-tuning: contrast-regularised fine-tuning, soft-label cross-entropy plus η times a focal supervised contrastive
 * loss, over the real samples and the generated hard pairs together.
 *
 * Rows r = 1..M (real features, then mixed ones, as `coreTuningPairs` builds them) carry logits x_r, contrastive
 * embeddings z_r (L2-normalised here, as the authors' contrastor does) and soft targets y_r; rows with identical
 * targets are one class. With S = ẑẑᵀ/τ and log p_ra = S_ra − logsumexp_{b ≠ r} S_rb (a ≠ r),
 *   c_r = −(1/M)·Σ_{a ≠ r, y_a = y_r} (1 − p_ra)·log p_ra   (the authors' focal weight, and their mean over all M columns),
 *   L = mean_r (−Σ_k y_rk·log softmax(x_r)_k) + η·Σ_r c_r / #{r with a positive}   (0 when no row has one).
 * Stable form: max-shifted log-softmaxes, the diagonal set to −∞ before the row softmax.
 *
 * Follows Vanint/Core-tuning, Core-tuning.py (focal_SupConLoss, feature_mixup, the training step).
 *
 * @param logits the classifier's logits of every row [M, C]
 * @param embeddings the contrastor's outputs of every row [M, K]
 * @param targets soft targets of every row [M, C] (one-hot for real rows, mixed for generated ones)
 * @returns a scalar
 * @see Zhang, Hooi, Hu, Yan, Feng, "Unleashing the Power of Contrastive Self-Supervised Visual Models via
 *   Contrast-Regularized Fine-Tuning", NeurIPS 2021
 */
export function coreTuningLoss(...args: Call<[logits: Tensor, embeddings: Tensor, targets: Tensor], CoreTuningOptions>): Tensor {
  const [logits, embeddings, targets, { eta, tau }] = entry.check(args);
  const m = logits.shape[0];
  const ce = targets.mul(logits.logSoftmax(-1)).sum(-1).neg().mean();
  if (m < 2) return ce;
  const others = offDiagonal(m, logits);
  const z = l2Normalize(embeddings);
  const logp = z.matmul(z.T).div(tau).maskedFill(others.logicalNot(), -Infinity).logSoftmax(-1);
  const positives = targets.unsqueeze(1).eq(targets.unsqueeze(0)).all(-1).logicalAnd(others);
  // log p is −∞ on the diagonal: replaced before the focal factor, so neither the value nor the gradient sees 0·∞.
  const lp = positives.where(logp, 0);
  const focal = lp.exp().neg().add(1).mul(lp).sum(-1).div(-m);
  const anchors = positives.any(-1).cast(logits.dtype).sum();
  return ce.add(focal.sum().div(anchors.gt(0).where(anchors, 1)).mul(eta));
}

/** Options of `coreTuningPairs`: the draws the authors make at random, passed in so that the pairs are reproducible. */
export interface CoreTuningPairOptions {
  /** A permutation of 0..B−1: row i is mixed with row order[i] (the authors shuffle the batch). */
  order: readonly number[];
  /** λ [B] of the shuffled mixes f̃ = (1 − λ)·f + λ·f[order] (authors: Beta(α, α) draws raised to at least 0.8). */
  lambdaMix: readonly number[];
  /** λ [B] of the hard mixes f̂ = λ·f[hp] + (1 − λ)·f[hn] (authors: Beta(α, α) draws, α = 1). */
  lambdaHard: readonly number[];
}

/**
 * Core-tuning's pair generation in feature space (before the classifier and the contrastor): B real rows, B rows
 * mixed with a shuffled partner, and B hard rows mixing each sample's hardest positive hp(i) (the least
 * cosine-similar other sample of its class; itself when it has none) with its hardest negative hn(i) (the most
 * similar sample of another class; itself when there is none). The indices are chosen on the host from the
 * detached features; the gradient reaches the features through the gathers and the mixes. Targets mix the same way.
 *
 * @param features backbone features [B, F]
 * @param labels class indices [B] (int32)
 * @param numClasses C
 * @returns features [3B, F] and soft targets [3B, C], for `coreTuningLoss` after the model's heads
 */
export function coreTuningPairs(features: Tensor, labels: Tensor, numClasses: number, { order, lambdaMix, lambdaHard }: CoreTuningPairOptions): { features: Tensor; targets: Tensor } {
  const b = features.shape[0];
  for (const [name, v] of [['order', order], ['lambdaMix', lambdaMix], ['lambdaHard', lambdaHard]] as const) {
    if (v.length !== b) throw new ArgumentError('coreTuningPairs', `${name}: expected ${b} entries, got ${v.length}`);
  }
  const y = labels.oneHot(numClasses).cast(features.dtype);
  const cos = Array.from(l2Normalize(features.detach()).matmul(l2Normalize(features.detach()).T).data());
  const cls = Array.from(labels.data());
  const pick = (i: number, same: boolean, better: (a: number, b: number) => boolean) => {
    let best = i;
    for (let j = 0; j < b; j++) {
      if (j === i || (cls[j] === cls[i]) !== same) continue;
      if (best === i || better(cos[i * b + j], cos[i * b + best])) best = j;
    }
    return best;
  };
  const index = (ix: readonly number[]) => tensor([...ix], { dtype: 'int32', backend: features.backendName });
  const column = (v: readonly number[]) => tensor([...v], { dtype: features.dtype, backend: features.backendName }).unsqueeze(1);
  const hp = index(Array.from({ length: b }, (_, i) => pick(i, true, (a, c) => a < c)));
  const hn = index(Array.from({ length: b }, (_, i) => pick(i, false, (a, c) => a > c)));
  const mix = (x: Tensor) => {
    const shuffled = x.indexSelect(0, index(order)).lerp(x, column(lambdaMix).neg().add(1));
    const hard = x.indexSelect(0, hn).lerp(x.indexSelect(0, hp), column(lambdaHard));
    return cat([x, shuffled, hard], 0);
  };
  return { features: mix(features), targets: mix(y) };
}

export const entry = defineLoss({
  id: 'core-tuning',
  fn: coreTuningLoss,
  args: [
    { name: 'logits', shape: ['M', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'embeddings', shape: ['M', 'K'], dtype: 'float', domain: 'real' },
    { name: 'targets', shape: ['M', 'C'], dtype: 'float', domain: 'simplex' },
  ],
  options,
  output: 'batch',
  reading: "The authors' objective (Vanint/Core-tuning): soft-label CE over real and generated rows plus η = 10 times their focal SupCon (τ = 0.07, weight 1 − p, mean over all M columns, divided by the anchors with a positive), rows with identical targets forming a class; the classifier and contrastor are the caller's, so generated pairs enter as rows of logits/embeddings/targets, built in feature space by the exported coreTuningPairs from caller-drawn permutation and mixing weights.",
});
