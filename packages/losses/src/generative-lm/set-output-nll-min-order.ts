import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type SetOutputNllMinOrderOptions = OptionsOf<typeof options>;

/**
 * Set-output NLL minimised over candidate target orderings ("Order Matters").
 *
 * NLL_{n,k} = −Σ_t m·log p(y_{π_k(t)} | y_{π_k(<t)}, X) for K candidate orderings; ℓ_n = min_k NLL_{n,k}, so the
 * gradient flows only through the selected ordering (the arg-min is a selection, not differentiated). Candidate
 * orderings (uniformly random early in training, then the model's best found by search or sampling) and their
 * teacher-forced token log-probabilities (`sequenceLogProbs` per ordering) are the caller's.
 *
 * @param input token log-probabilities of each candidate ordering [N, K, T]
 * @param mask optional [N, K, T] (bool or 0/1): the positions that count
 * @returns a scalar, or [N] with reduction 'none'
 * @see Vinyals, Bengio & Kudlur, "Order Matters: Sequence to sequence for sets", ICLR 2016, arXiv:1511.06391
 */
export function setOutputNllMinOrder(...args: Call<[input: Tensor, mask?: Tensor], SetOutputNllMinOrderOptions>): Tensor {
  const [input, mask, { reduction }] = entry.check(args);
  const m = mask ? (mask.dtype === 'bool' ? mask : mask.ne(0)) : null;
  const nll = (m ? m.where(input, 0) : input).sum(-1).neg();
  return applyReduction(nll.amin(-1), { reduction });
}

export const entry = defineLoss({
  id: 'set-output-nll-min-order',
  fn: setOutputNllMinOrder,
  args: [
    { name: 'input', shape: ['N', 'K', 'T'], dtype: 'float', domain: 'log-prob' },
    { name: 'mask', shape: ['N', 'K', 'T'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'K', 'T'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'per-sample',
  reading: 'The loss over given candidates: min over the K stacked candidate NLLs per example; how many candidates and the search schedule (uniform orders first) are the caller\'s training procedure.',
});
