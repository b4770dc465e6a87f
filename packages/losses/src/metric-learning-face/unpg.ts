import { concat, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cosineLogits, marginLogits, marginSoftmaxArgs, targetOf } from '../parts/margin-softmax.js';
import { maskedLogSumExp } from '../parts/miners.js';
import { cosineSimilarityMatrix } from '../parts/distances.js';
import { applyReduction } from '../reduce.js';

const options = {
  s: opt.number(64, 's: the scale of every logit, class-weight and in-batch alike (the authors\' head.zoo: 64).', '(0, inf)'),
  base: opt.oneOf(['arcface', 'cosface'], 'arcface', 'The margin on the target cosine: ArcFace cos(θ + m) or CosFace cos θ − m.'),
  m: opt.number(0.5, 'm: the margin of the base loss (the authors\' head.zoo: 0.5 for both).', '[0, 3.141592653589793)'),
  wisk: opt.number(1.5, "k of the box-and-whisker filter: in-batch negatives outside [Q1 − k·IQR, Q3 + k·IQR] are dropped (the authors' 1.5).", '[0, inf)'),
  reduction: opt.reduction(),
};
export type UnpgOptions = OptionsOf<typeof options>;

/**
 * UNPG: a margin softmax whose negatives are the class weights (CLPG) plus the batch's negative pairs (MLPG),
 * filtered for noise by the box-and-whisker rule.
 *
 * c_ij = cos(x_i, W_j); ψ(c) = cos(acos c + m) (ArcFace, no fallback, as the authors' head) or c − m (CosFace);
 * b = {cos(x_a, x_b) : a < b, y_a ≠ y_b} sorted, Q1 = b[⌊0.25|b|⌋], Q3 = b[⌊0.75|b|⌋], IQR = Q3 − Q1, b' = the b in
 * [Q1 − k·IQR, Q3 + k·IQR] (chosen without gradient); every row gets the same extra columns s·b':
 * ℓᵢ = log(Σ_j exp(s·ĉ_ij) + Σ_{b ∈ b'} exp(s·b)) − s·ψ(c_iy), ĉ the margin logits. Stable form: the two
 * logsumexps (the masked one over b') are max-shifted and combined by a logsumexp of two terms; a batch without a
 * negative pair is the plain margin softmax.
 *
 * @param embeddings features x [N, D]
 * @param labels class indices [N] (int32)
 * @param weight class weights W [C, D]
 * @returns the mean over samples; 'sum'; or the per-sample losses [N] with reduction 'none'
 * @see Jung et al., "Unified Negative Pair Generation toward Well-discriminative Feature Space for Face Recognition", BMVC 2022, arXiv:2203.11593
 */
export function unpgLoss(...args: Call<[embeddings: Tensor, labels: Tensor, weight: Tensor], UnpgOptions>): Tensor {
  const [embeddings, labels, weight, { s, base, m, wisk, reduction }] = entry.check(args);
  const logits = marginLogits(cosineLogits(embeddings, weight), labels, base === 'arcface' ? { s, m2: m } : { s, m3: m });
  const n = embeddings.shape[0];
  const sim = cosineSimilarityMatrix(embeddings, embeddings);
  const negatives = labels.unsqueeze(1).ne(labels.unsqueeze(0)).logicalAnd(sim.newOnes([n, n]).triu(1).gt(0));
  // The filter's bounds: one host read of the negative similarities (no gradient through the choice).
  const values = sim.detach().data();
  const mask = negatives.data();
  const b = Array.from(values).filter((_, i) => mask[i]).sort((u, v) => u - v);
  let lse = logits.logsumexp(1);
  if (b.length > 0) {
    const [q1, q3] = [b[Math.floor(0.25 * b.length)], b[Math.floor(0.75 * b.length)]];
    const kept = negatives.logicalAnd(sim.detach().ge(q1 - wisk * (q3 - q1))).logicalAnd(sim.detach().le(q3 + wisk * (q3 - q1)));
    const extra = maskedLogSumExp(sim.mul(s).reshape([1, n * n]), kept.reshape([1, n * n]), 1); // [1]
    lse = concat([lse.unsqueeze(1), extra.expand([n]).unsqueeze(1)], 1).logsumexp(1);
  }
  return applyReduction(lse.sub(targetOf(logits, labels)), { reduction });
}

export const entry = defineLoss({
  id: 'unpg',
  fn: unpgLoss,
  args: marginSoftmaxArgs,
  options,
  output: 'per-sample',
  reading: "The authors' released code (Jung-Jun-Uk/UNPG, HeadAndLoss with aux 'unpg'): the in-batch negatives are the upper-triangle negative-pair cosines of the whole batch, filtered by box_and_whisker_algorithm (k = 1.5), and appended as shared columns to every row's logits at the same scale s; the ArcFace head is cos(acos c + m) without a fallback.",
});
