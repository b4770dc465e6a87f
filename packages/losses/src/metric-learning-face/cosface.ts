import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cosineLogits, marginSoftmax, marginSoftmaxArgs } from '../parts/margin-softmax.js';
import { applyReduction } from '../reduce.js';

const options = {
  s: opt.number(64, 's: the scale of every logit.', '(0, inf)'),
  m: opt.number(0.35, 'm: the additive cosine margin subtracted from the target cosine (Partial FC uses 0.4; speaker verification s = 30, m = 0.2).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type CosFaceOptions = OptionsOf<typeof options>;

/**
 * CosFace / LMCL / AM-Softmax: softmax cross-entropy with an additive cosine margin on the target class.
 *
 * c_j = cos(x, W_j) of the L2-normalised embedding and class weights; logits s·(c_j − m·[j = y]);
 * ℓ = lse_j(logits) − s·(c_y − m) with a max-shifted logsumexp. Combined-margin (1, 0, m). A zero embedding
 * has every c_j = 0 (finite).
 *
 * @param embeddings features x [N, D]
 * @param labels class indices [N] (int32)
 * @param weight class weights W [C, D]
 * @returns the mean over samples; 'sum'; or the per-sample losses [N] with reduction 'none'
 * @see Wang et al., "CosFace: Large Margin Cosine Loss for Deep Face Recognition", CVPR 2018, arXiv:1801.09414
 */
export function cosFaceLoss(...args: Call<[embeddings: Tensor, labels: Tensor, weight: Tensor], CosFaceOptions>): Tensor {
  const [embeddings, labels, weight, { s, m, reduction }] = entry.check(args);
  return applyReduction(marginSoftmax({ s, m3: m })(cosineLogits(embeddings, weight), labels), { reduction });
}

export const entry = defineLoss({
  id: 'cosface',
  fn: cosFaceLoss,
  args: marginSoftmaxArgs,
  options,
  output: 'per-sample',
});
