import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  lambda: opt.number(0.25, 'λ: the weight of the kNN distribution in the mixture (0.25 on WikiText-103).', '(0, 1)'),
  T: opt.number(1, 'T: the temperature of the softmax over negative distances.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type KnnLmInterpolationOptions = OptionsOf<typeof options>;

/**
 * kNN-LM: the negative log-likelihood of the target under the LM's distribution interpolated with a kNN one.
 *
 * aᵢ = softmax_i(−dᵢ/T) over the k retrieved neighbours, p_kNN(w) = Σᵢ aᵢ·[valsᵢ = w]; log p(y) = logaddexp(log λ +
 * log p_kNN(y), log(1 − λ) + log_softmax(z)_y); ℓ = −log p(y) (perplexity = exp of the token mean). log p_kNN(y) is
 * −∞ where no neighbour has value y: selected with `where` from a safe argument, so neither the value nor the
 * gradient is NaN. The nearest-neighbour search (FAISS over the datastore keys, squared L2) is the caller's: it
 * passes the k distances and the neighbours' next tokens.
 *
 * @param input LM logits z [N, V]
 * @param target next-token ids y [N] (int32)
 * @param distances squared L2 distances from the query to its k nearest keys [N, K]
 * @param values the neighbours' next tokens [N, K] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Khandelwal et al., "Generalization through Memorization: Nearest Neighbor Language Models", ICLR 2020,
 *   arXiv:1911.00172
 */
export function knnLmInterpolation(...args: Call<[input: Tensor, target: Tensor, distances: Tensor, values: Tensor], KnnLmInterpolationOptions>): Tensor {
  const [input, target, distances, values, { lambda, T, reduction }] = entry.check(args);
  const y = target.unsqueeze(-1);
  const lmLogp = input.logSoftmax(-1).gather(-1, y).squeeze(-1);
  const pKnn = distances.div(-T).softmax(-1).mul(values.eq(y).cast(input.dtype)).sum(-1);
  const hit = pKnn.gt(0);
  const logKnn = hit.where(hit.where(pKnn, 1).log().add(Math.log(lambda)), -Infinity);
  return applyReduction(logKnn.logaddexp(lmLogp.add(Math.log(1 - lambda))).neg(), { reduction });
}

export const entry = defineLoss({
  id: 'knn-lm-interpolation',
  fn: knnLmInterpolation,
  args: [
    { name: 'input', shape: ['N', 'V'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label', classes: 'V' },
    { name: 'distances', shape: ['N', 'K'], dtype: 'float', domain: 'nonneg' },
    { name: 'values', shape: ['N', 'K'], dtype: 'int', domain: 'label', classes: 'V' },
  ],
  options,
  output: 'per-sample',
});
