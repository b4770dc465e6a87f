import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cosineLogits, marginSoftmaxArgs, softmaxCrossEntropy } from '../parts/margin-softmax.js';
import { applyReduction } from '../reduce.js';

const options = {
  T: opt.number(0.05, 'T: the temperature dividing every cosine (Zhai & Wu: 0.05, a scale of 20).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type NormSoftmaxOptions = OptionsOf<typeof options>;

/**
 * Normalized softmax (NormSoftmax, cosine softmax): cross-entropy of cosine logits with a temperature.
 *
 * logits_k = cos(x, W_k)/T with x and the proxies W_k L2-normalised; ℓ = lse_k(logits) − logits_y (max-shifted).
 *
 * @param embeddings features x [N, D]
 * @param labels class indices [N] (int32)
 * @param weight class proxies W [C, D]
 * @returns the mean over samples; 'sum'; or the per-sample losses [N] with reduction 'none'
 * @see Zhai & Wu, "Classification is a Strong Baseline for Deep Metric Learning", BMVC 2019, arXiv:1811.12649
 */
export function normSoftmaxLoss(...args: Call<[embeddings: Tensor, labels: Tensor, weight: Tensor], NormSoftmaxOptions>): Tensor {
  const [embeddings, labels, weight, { T, reduction }] = entry.check(args);
  return applyReduction(softmaxCrossEntropy(cosineLogits(embeddings, weight).div(T), labels), { reduction });
}

export const entry = defineLoss({
  id: 'norm-softmax',
  fn: normSoftmaxLoss,
  args: marginSoftmaxArgs,
  options,
  output: 'per-sample',
});
