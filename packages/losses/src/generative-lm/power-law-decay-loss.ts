import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { sequenceLogProbs } from '../parts/tokens.js';
import { applyReduction } from '../reduce.js';

const options = {
  alpha: opt.number(1, 'α: the decay exponent of the frequency weight (the paper\'s default 1).', '[0, inf)'),
  eps: opt.number(1e-7, 'ε: added to each frequency before the power, so unseen tokens get a finite weight.', '(0, inf)'),
  ignoreIndex: opt.integer(-100, 'Targets equal to this index contribute nothing.'),
  reduction: opt.reduction(),
};
export type PowerLawDecayLossOptions = OptionsOf<typeof options>;

/**
 * Power-Law Decay Loss (PDL): token cross-entropy reweighted by inverse token frequency.
 *
 * w_v = 1/(freq_v + ε)^α, ℓ_{n,t} = w_{y}·(−log_softmax(z_{n,t})[y]); 'mean' = Σ m·w_y·CE / Σ m·w_y (the weighted
 * token mean over counted tokens), as PyTorch's class-weighted cross-entropy. Raw counts and relative frequencies
 * give the same 'mean' (up to ε): the scale of w cancels. The frequency table is the caller's corpus statistics.
 *
 * @param input logits [N, T, V]
 * @param target token ids [N, T] (int32), or ignoreIndex
 * @param freq token frequencies [V] (counts or relative frequencies; held constant)
 * @param mask optional [N, T] (bool or 0/1)
 * @returns a scalar, or [N, T] with reduction 'none' (the weighted values, 0 where not counted)
 * @see "Power-Law Decay Loss for Large Language Model Finetuning: A Theory Perspective", 2025 (eq. 3)
 */
export function powerLawDecayLoss(...args: Call<[input: Tensor, target: Tensor, freq: Tensor, mask?: Tensor], PowerLawDecayLossOptions>): Tensor {
  const [input, target, freq, mask, { alpha, eps, ignoreIndex, reduction }] = entry.check(args);
  const lp = sequenceLogProbs(input, target, mask, ignoreIndex);
  const w = freq.detach().add(eps).pow(-alpha);
  const wy = lp.mask.where(w.indexSelect(0, lp.mask.where(target, 0).cast('int32').reshape([-1])).reshape(target.shape), 0);
  return applyReduction(lp.tokens.neg().mul(wy), { reduction, meanOver: wy.sum() });
}

export const entry = defineLoss({
  id: 'power-law-decay-loss',
  fn: powerLawDecayLoss,
  args: [
    { name: 'input', shape: ['N', 'T', 'V'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'T'], dtype: 'int', domain: 'label', classes: 'V' },
    { name: 'freq', shape: ['V'], dtype: 'float', domain: 'nonneg', stopGradient: true },
    { name: 'mask', shape: ['N', 'T'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'T'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'per-sample',
  meanIsNotMeanOfNone: "'mean' is the frequency-weighted token mean Σ w·CE / Σ w, as PyTorch's class-weighted cross-entropy",
});
