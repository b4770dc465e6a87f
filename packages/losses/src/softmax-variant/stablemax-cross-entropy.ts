import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { logStablemaxS, stablemaxS } from '../parts/stablemax-transform.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type StablemaxCrossEntropyOptions = OptionsOf<typeof options>;

/**
 * StableMax cross-entropy: the negative log-likelihood of the StableMax normaliser.
 *
 * ℓᵢ = log Σⱼ s(zᵢⱼ) − log s(zᵢ_{yᵢ}), s(x) = x + 1 (x ≥ 0), 1/(1 − x) (x < 0); log s is taken in its stable form,
 * log1p(x) for x ≥ 0 and −log1p(−x) for x < 0, never as the log of a computed probability.
 *
 * @param z logits [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Prieto et al., Grokking at the Edge of Numerical Stability, ICLR 2025
 */
export function stablemaxCrossEntropy(...args: Call<[z: Tensor, target: Tensor], StablemaxCrossEntropyOptions>): Tensor {
  const [z, target, { reduction }] = entry.check(args);
  const logSy = logStablemaxS(z.gather(1, target.unsqueeze(1)).squeeze(1));
  const values = stablemaxS(z).sum(1).log().sub(logSy);
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'stablemax-cross-entropy',
  fn: stablemaxCrossEntropy,
  args: [
    { name: 'z', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
