import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { pickNll } from '../parts/class-nll.js';
import { applyReduction } from '../reduce.js';

const options = {
  weight: opt.tensor(['C'], 'Per-class weights [C].'),
  ignoreIndex: opt.integer(-100, 'Targets equal to this class index contribute nothing, to the sum or to the mean\'s denominator.'),
  reduction: opt.reduction(),
};
export type NllLossOptions = OptionsOf<typeof options>;

/**
 * Negative log-likelihood of class-index targets, PyTorch's `F.nll_loss`.
 *
 * ℓᵢ = −w_{yᵢ}·xᵢ,_{yᵢ} for log-probabilities x (e.g. logSoftmax outputs; nothing is
 * normalised here). 'mean' divides by Σ w_{yᵢ} over the non-ignored targets, as PyTorch (so it
 * is NaN when every target is ignored); ignored targets give 0 under 'none'.
 *
 * @param input log-probabilities [N, C] or [N, C, d1, ...]
 * @param target class indices [N] or [N, d1, ...] (int32)
 * @returns a scalar, or [N] / [N, d1, ...] with reduction 'none'
 * @see PyTorch 1.13, torch.nn.NLLLoss
 */
export function nllLoss(...args: Call<[input: Tensor, target: Tensor], NllLossOptions>): Tensor {
  const [input, target, { weight, ignoreIndex, reduction }] = entry.check(args);
  // Classes last: [N, d1, ..., C], so K-dimensional inputs reduce like plain [N, C].
  const { values, weights } = pickNll(input.movedim(1, -1), target, weight, ignoreIndex);
  return applyReduction(values, { reduction, meanOver: weights.sum() });
}

export const entry = defineLoss({
  id: 'nll-loss',
  fn: nllLoss,
  args: [
    { name: 'input', shape: ['N', 'C', '...'], dtype: 'float', domain: 'log-prob' },
    { name: 'target', shape: ['N', '...'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  meta: { name: 'Negative log-likelihood loss', category: 'pytorch', papers: [] },
});
