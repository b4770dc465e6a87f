import { concat, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { precedingTokenNegatives } from '../parts/gen-lm.js';
import { sequenceLogProbs } from '../parts/tokens.js';
import { applyReduction } from '../reduce.js';

const options = {
  window: opt.integer(null, 'M: how many preceding targets supply negatives; null: half the sequence length, ⌈T/2⌉ (the reference implementation\'s default).', '[1, inf)'),
  ignoreIndex: opt.integer(-100, 'Targets equal to this index contribute nothing (and are not negatives).'),
  reduction: opt.reduction(),
};
export type ContrastiveTokenLossOptions = OptionsOf<typeof options>;

/**
 * Contrastive token (CT) loss for text degeneration, with the cross-entropy it is added to.
 *
 * N_t = the distinct tokens among the previous M targets y_{t−M..t−1}, excluding y_t; L_CT(t) = log(1 + Σ_{n∈N_t}
 * e^{z_{t,n} − z_{t,y_t}}), a logsumexp over {0} ∪ {z_n − z_y} (0 when N_t is empty); ℓ_t = CE_t + L_CT(t), 'mean' the
 * token mean over counted positions. The reference code applies CT on a quarter of the positions; pass that
 * selection as `mask` to a second call (and CE on all positions) to reproduce it.
 *
 * @param input logits [N, T, V]
 * @param target token ids [N, T] (int32), or ignoreIndex
 * @param mask optional [N, T] (bool or 0/1)
 * @returns a scalar, or [N, T] with reduction 'none' (0 where not counted)
 * @see Jiang et al., "A Simple Contrastive Learning Objective for Alleviating Neural Text Degeneration", 2022, arXiv:2208.02531
 */
export function contrastiveTokenLoss(...args: Call<[input: Tensor, target: Tensor, mask?: Tensor], ContrastiveTokenLossOptions>): Tensor {
  const [input, target, mask, { window, ignoreIndex, reduction }] = entry.check(args);
  const lp = sequenceLogProbs(input, target, mask, ignoreIndex);
  const negatives = precedingTokenNegatives(target, lp.mask, input.shape[2], window ?? Math.ceil(target.shape[1] / 2));
  const zy = input.gather(-1, lp.mask.where(target, 0).cast('int32').unsqueeze(-1));
  const diffs = negatives.where(input.sub(zy), -Infinity);
  const ct = concat([input.newZeros([...target.shape, 1]), diffs], -1).logsumexp(-1);
  const values = lp.mask.where(lp.tokens.neg().add(ct), 0);
  return applyReduction(values, { reduction, meanOver: lp.count.sum() });
}

export const entry = defineLoss({
  id: 'contrastive-token-loss',
  fn: contrastiveTokenLoss,
  args: [
    { name: 'input', shape: ['N', 'T', 'V'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'T'], dtype: 'int', domain: 'label', classes: 'V' },
    { name: 'mask', shape: ['N', 'T'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'T'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'per-sample',
  meanIsNotMeanOfNone: "'mean' is the token mean over counted positions (equal to the mean of 'none' when every position counts)",
});
