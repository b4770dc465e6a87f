import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  soft: opt.boolean(false, 'Soft-label variant: the target weights each class by its count in the set (needs `memberLabels`).'),
  memberLabels: opt.tensor(['N', 'M'], 'Labels of the set\'s members [S, M] (int32; only for `soft`).', 'int'),
  reduction: opt.reduction(),
};
export type OkoSetCrossEntropyOptions = OptionsOf<typeof options>;

/**
 * Odd-k-out (OKO) set cross-entropy: cross-entropy on the summed logits of a set of M = 2 + k
 * examples — two of the pair class a, k of other classes — so the model learns from correlations
 * across examples; at inference it is applied to single examples.
 *
 * ℓ_s = −Σ_c q_{s,c} log softmax(Σ_m z_{s,m})_c, with q = onehot(a_s) (hard) or the class counts of
 * the set divided by M (soft); max-shifted log-softmax, finite at logits of ±1e4. Building the sets
 * (k = 1 odd example by default) is a data-sampling procedure outside the loss.
 *
 * Reading: Hard OKO: cross-entropy of the pair class on the sum of the set members' logits, mean
 * over sets; soft: the target is the set's class histogram / M (memberLabels). From the paper body
 * as recalled by the catalog, not verified against the authors' code.
 *
 * @param logits per-example logits of S sets [S, M, C]
 * @param pairClass the pair class aₛ of each set [S] (int32)
 * @returns a scalar, or [S] with reduction 'none'
 * @see Muttenthaler, Vandermeulen, Zhang, Unterthiner & Müller, "Set Learning for Accurate and Calibrated Models", ICLR 2024
 */
export function okoSetCrossEntropy(...args: Call<[logits: Tensor, pairClass: Tensor], OkoSetCrossEntropyOptions>): Tensor {
  const [logits, pairClass, { soft, memberLabels, reduction }] = entry.check(args);
  const logp = logits.sum(1).logSoftmax(-1); // [S, C]
  if (!soft) return applyReduction(logp.gather(-1, pairClass.unsqueeze(-1)).squeeze(-1).neg(), { reduction });
  if (!memberLabels) throw new ArgumentError('okoSetCrossEntropy', 'the soft variant needs memberLabels [S, M]');
  const counts = memberLabels.oneHot(logits.shape[2]).cast(logits.dtype).mean(1); // [S, C]
  return applyReduction(logp.mul(counts).sum(-1).neg(), { reduction });
}

export const entry = defineLoss({
  id: 'oko-set-cross-entropy',
  fn: okoSetCrossEntropy,
  args: [
    { name: 'logits', shape: ['N', 'M', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'pairClass', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  reading: 'Hard OKO: cross-entropy of the pair class on the sum of the set members\' logits, mean over sets; soft: the target is the set\'s class histogram / M (memberLabels). From the paper body as recalled by the catalog, not verified against the authors\' code.',
});
