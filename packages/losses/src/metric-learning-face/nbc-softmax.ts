import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { marginSoftmaxArgs, softmaxCrossEntropy, targetMask } from '../parts/margin-softmax.js';
import { eyeMask, maskedLogSumExp, maskedMean } from '../parts/miners.js';
import { cosineSimilarityMatrix } from '../parts/distances.js';
import { applyReduction } from '../reduce.js';

const options = {
  ratio: opt.number(0.5, "r: L = (1 − r)·L_softmax + r·L_NBC (the authors' model2_ratio, 0.5 in their published runs).", '[0, 1]'),
  tau: opt.number(0.2, "τ: the NBC term's similarity multiplier, exp(τ·cos) (the authors' code; 0.2 in their single-dataset runs).", '[0, inf)'),
  reduction: opt.reduction(),
};
export type NbcSoftmaxOptions = OptionsOf<typeof options>;

/**
 * NBC-Softmax: softmax cross-entropy plus a negative-only block-contrastive term that pushes the batch's class
 * centres apart.
 *
 * ℓᵢ = (1 − r)·CE(x_i Wᵀ, y_i) + r·L_NBC, L_NBC = (1/C)·mean_{k ∈ U} log Σ_{l ∈ U} exp(τ·S_kl), where U are the
 * classes present in the batch, μ_k the mean embedding of class k, S_kl = cos(μ_k, μ_l) off the diagonal and
 * S_kk = 0 (so each block's sum holds exp(0) = 1, as the authors' feature-distance matrix does). Stable form: the
 * masked, max-shifted logsumexp over U (parts/miners); a single present class gives log 1 = 0.
 *
 * @param embeddings features x [N, D] (the authors run with proj_dim = 0: the embeddings themselves)
 * @param labels class indices [N] (int32)
 * @param weight the softmax classifier W [C, D] (bias-free; C is the number of classes)
 * @returns the mean over samples; 'sum'; or [N] with reduction 'none' (each holding the batch's r·L_NBC)
 * @see Kulatilleke et al., "NBC-Softmax: Darkweb Author fingerprinting and migration tracking", 2022, arXiv:2212.08184
 */
export function nbcSoftmaxLoss(...args: Call<[embeddings: Tensor, labels: Tensor, weight: Tensor], NbcSoftmaxOptions>): Tensor {
  const [embeddings, labels, weight, { ratio, tau, reduction }] = entry.check(args);
  const c = weight.shape[0];
  const onehot = targetMask(labels, c).cast(embeddings.dtype); // [N, C]
  const count = onehot.sum(0); // [C]
  const centres = onehot.T.matmul(embeddings).div(count.clamp(1).unsqueeze(1)); // segment mean [C, D]
  const present = count.gt(0);
  const pairs = present.unsqueeze(1).logicalAnd(present.unsqueeze(0));
  const offDiag = eyeMask(c, embeddings).logicalNot();
  const sim = offDiag.where(cosineSimilarityMatrix(centres, centres), 0).mul(tau);
  const block = maskedLogSumExp(sim, pairs, 1); // [C], −∞ for absent classes (masked out below)
  const nbc = maskedMean(present.where(block, 0), present).div(c);
  const ce = softmaxCrossEntropy(embeddings.matmul(weight.T), labels);
  return applyReduction(ce.mul(1 - ratio).add(nbc.mul(ratio)), { reduction });
}

export const entry = defineLoss({
  id: 'nbc-softmax',
  fn: nbcSoftmaxLoss,
  args: marginSoftmaxArgs,
  options,
  output: 'per-sample',
  reading: "The authors' released code (gayanku/NBC-Softmax, ProjContrastiveModel_BC1 with SoftmaxModel): the NBC block term is on the batch's class-mean embeddings (not on W), exp(τ·cos) with the zeroed diagonal kept in each sum, averaged over present classes and divided by C; the softmax is plain (bias-free) x·Wᵀ cross-entropy; the two are mixed (1 − r, r).",
});
