import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { tokenMask } from '../parts/tokens.js';
import { applyReduction } from '../reduce.js';

const options = {
  ignoreIndex: opt.integer(-100, 'Targets equal to this index contribute nothing (padding, prompt positions).'),
  labelSmoothing: opt.number(0, 'ε: each token\'s loss becomes −(1 − ε)·log p_y − ε·mean_v log p_v (GENRE\'s fairseq recipe uses 0.1).', '[0, 1]'),
  average: opt.oneOf(['token', 'sequence'] as const, 'token', "What 'mean' averages: 'token' Σ over counted tokens / their number; 'sequence' the per-sequence sums averaged over the batch."),
  reduction: opt.reduction(),
};
export type SequenceNllOptions = OptionsOf<typeof options>;

/**
 * Teacher-forced autoregressive sequence negative log-likelihood (next-token cross-entropy).
 *
 * ℓ_{n,t} = −log_softmax(z_{n,t})[y_{n,t}] (max-shifted logsumexp), with label smoothing −(1 − ε)·lp_y − ε·mean_v lp_v;
 * 'mean' = Σ_{n,t} m·ℓ / Σ m over the counted tokens (m: `mask` and y ≠ ignoreIndex), or with average 'sequence'
 * mean_n Σ_t m·ℓ. Logits at t score target t: shift a causal LM's outputs first (`shiftForNextToken` in
 * parts/tokens.ts). The masked per-sequence sum of log-probabilities is `sequenceLogProbs` there.
 *
 * @param input logits [N, T, V]
 * @param target token ids [N, T] (int32) in [0, V), or ignoreIndex
 * @param mask optional [N, T] (bool or 0/1): the positions that count
 * @returns a scalar, or [N, T] with reduction 'none' (0 at positions that do not count)
 * @see De Cao et al., "Autoregressive Entity Retrieval", ICLR 2021, arXiv:2010.00904; Zhang et al., "LoLCATs: On
 *   Low-Rank Linearizing of Large Language Models", ICLR 2025, arXiv:2410.10254
 */
export function sequenceNll(...args: Call<[input: Tensor, target: Tensor, mask?: Tensor], SequenceNllOptions>): Tensor {
  const [input, target, mask, { ignoreIndex, labelSmoothing: eps, average, reduction }] = entry.check(args);
  const m = tokenMask(target, mask, ignoreIndex);
  const lp = input.logSoftmax(-1);
  let nll = lp.gather(-1, m.where(target, 0).cast('int32').unsqueeze(-1)).squeeze(-1).neg();
  if (eps > 0) nll = nll.mul(1 - eps).sub(lp.mean(-1).mul(eps));
  const values = m.where(nll, 0);
  const meanOver = average === 'token' ? m.cast(input.dtype).sum() : input.shape[0];
  return applyReduction(values, { reduction, meanOver });
}

export const entry = defineLoss({
  id: 'sequence-nll',
  fn: sequenceNll,
  args: [
    { name: 'input', shape: ['N', 'T', 'V'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'T'], dtype: 'int', domain: 'label', classes: 'V' },
    { name: 'mask', shape: ['N', 'T'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'T'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'per-sample',
  meanIsNotMeanOfNone: "'mean' is the token mean Σ/count over counted tokens (or the mean of per-sequence sums), not the mean over all N·T positions",
});
