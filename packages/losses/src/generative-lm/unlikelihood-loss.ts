import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { logOneMinusSoftmax, precedingTokenNegatives } from '../parts/gen-lm.js';
import { sequenceLogProbs } from '../parts/tokens.js';
import { applyReduction } from '../reduce.js';

const options = {
  alpha: opt.number(1, 'α: the weight of the unlikelihood term (Welleck et al. use 1).', '[0, inf)'),
  ignoreIndex: opt.integer(-100, 'Targets equal to this index contribute nothing (and are not negatives).'),
  reduction: opt.reduction(),
};
export type UnlikelihoodLossOptions = OptionsOf<typeof options>;

/**
 * Token-level unlikelihood training: cross-entropy plus a penalty on repeating previous context tokens.
 *
 * C_t = the distinct previous targets {y_<t} other than y_t; ℓ_t = −log p_t(y_t) − α·Σ_{c∈C_t} log(1 − p_t(c)), with
 * log(1 − p_c) = lse_{v≠c}(z_v) − lse(z) computed in log space (finite even where p_c rounds to 1, unlike the
 * reference code's log(clamp(1 − p, 1e-5))); 'mean' is the token mean over counted positions.
 *
 * @param input logits [N, T, V] (V ≥ 2)
 * @param target token ids [N, T] (int32), or ignoreIndex
 * @param mask optional [N, T] (bool or 0/1)
 * @returns a scalar, or [N, T] with reduction 'none' (0 where not counted)
 * @see Welleck et al., "Neural Text Generation with Unlikelihood Training", ICLR 2020, arXiv:1908.04319
 */
export function unlikelihoodLoss(...args: Call<[input: Tensor, target: Tensor, mask?: Tensor], UnlikelihoodLossOptions>): Tensor {
  const [input, target, mask, { alpha, ignoreIndex, reduction }] = entry.check(args);
  const lp = sequenceLogProbs(input, target, mask, ignoreIndex);
  const negatives = precedingTokenNegatives(target, lp.mask, input.shape[2], Infinity);
  const ul = negatives.where(logOneMinusSoftmax(input), 0).sum(-1).neg();
  const values = lp.mask.where(lp.tokens.neg().add(ul.mul(alpha)), 0);
  return applyReduction(values, { reduction, meanOver: lp.count.sum() });
}

export const entry = defineLoss({
  id: 'unlikelihood-loss',
  fn: unlikelihoodLoss,
  args: [
    { name: 'input', shape: ['N', 'T', 'V'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'T'], dtype: 'int', domain: 'label', classes: 'V' },
    { name: 'mask', shape: ['N', 'T'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'T'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'per-sample',
  meanIsNotMeanOfNone: "'mean' is the token mean over counted positions (equal to the mean of 'none' when every position counts)",
});
