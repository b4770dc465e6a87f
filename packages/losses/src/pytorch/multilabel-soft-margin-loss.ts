import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  weight: opt.tensor(['C'], 'Per-class weights [C], multiplying each class\'s term before the mean over classes.'),
  reduction: opt.reduction(),
};
export type MultilabelSoftMarginLossOptions = OptionsOf<typeof options>;

/**
 * One-vs-all logistic loss over C labels, PyTorch's `F.multilabel_soft_margin_loss`.
 *
 * ℓᵢ = −(1/C)·Σ_c w_c·[y_ic·log σ(x_ic) + (1 − y_ic)·log σ(−x_ic)], log σ in its stable form
 * −softplus(−x), so logits of ±1e4 stay finite.
 *
 * @param input logits [N, C] (or [N, ..., C]: classes last)
 * @param target multi-hot targets y ∈ {0, 1} [N, C], the shape of input
 * @returns a scalar, or [N] (or [N, ...]) with reduction 'none'
 * @see PyTorch 1.13, torch.nn.MultiLabelSoftMarginLoss
 */
export function multilabelSoftMarginLoss(...args: Call<[input: Tensor, target: Tensor], MultilabelSoftMarginLossOptions>): Tensor {
  const [input, target, { weight, reduction }] = entry.check(args);
  const terms = target.mul(input.logSigmoid()).add(target.neg().add(1).mul(input.neg().logSigmoid())).neg();
  return applyReduction((weight ? terms.mul(weight) : terms).mean(-1), { reduction });
}

export const entry = defineLoss({
  id: 'multilabel-soft-margin-loss',
  fn: multilabelSoftMarginLoss,
  args: [
    { name: 'input', shape: ['N', '...', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', '...', 'C'], dtype: 'float', domain: 'multi-hot' },
  ],
  options,
  output: 'per-sample',
  meta: { name: 'Multi-label soft margin loss', category: 'pytorch', papers: [] },
});
