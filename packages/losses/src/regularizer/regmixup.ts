import type { Tensor } from '@graft/core';
import { crossEntropy } from '../classification/cross-entropy.js';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { mixupCe } from './mixup-ce.js';

const options = {
  eta: opt.number(1, 'η: weight of the mixup term added to the clean cross-entropy.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type RegMixupOptions = OptionsOf<typeof options>;

/**
 * RegMixup: mixup used as a regulariser — the clean cross-entropy plus η times the mixup cross-entropy
 * of the mixed batch.
 *
 * ℓᵢ = CE(f(xᵢ), yᵢ) + η·[λ·CE(f(x̃ᵢ), yᵢ) + (1 − λ)·CE(f(x̃ᵢ), y'ᵢ)], x̃ = λx + (1 − λ)x', λ ~ Beta(α, α)
 * with a large α (20 in the paper, 10–20 works) so that λ stays near ½. Every CE is the max-shifted
 * logsumexp form (finite at logits of ±1e4). Draw the mixed batch with `mixupBatch(x, y, { alpha: 20 })`.
 *
 * @param logits logits of the clean inputs [N, C]
 * @param target their class indices [N] (int32)
 * @param mixedLogits logits of the mixed inputs x̃ [N, C]
 * @param targetB class indices of the partners x' [N] (int32)
 * @param lam λ ∈ [0, 1]: a scalar tensor [] or one per sample [N]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Pinto, Yang, Lim, Torr & Dokania, "RegMixup: Mixup as a Regularizer Can Surprisingly Improve Accuracy and Out
 *   Distribution Robustness", NeurIPS 2022
 */
export function regMixup(...args: Call<[logits: Tensor, target: Tensor, mixedLogits: Tensor, targetB: Tensor, lam: Tensor], RegMixupOptions>): Tensor {
  const [logits, target, mixedLogits, targetB, lam, { eta, reduction }] = entry.check(args);
  const clean = crossEntropy(logits, target, { reduction: 'none' });
  return applyReduction(clean.add(mixupCe(mixedLogits, target, targetB, lam, { reduction: 'none' }).mul(eta)), { reduction });
}

export const entry = defineLoss({
  id: 'regmixup',
  fn: regMixup,
  args: [
    { name: 'logits', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'mixedLogits', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'targetB', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'lam', shape: ['N'], dtype: 'float', domain: 'prob', or: { shape: [], dtype: 'float', domain: 'prob' } },
  ],
  options,
  output: 'per-sample',
});
