import { arange, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  p: opt.integer(1, 'The exponent p of each hinge term (1 or 2, as PyTorch).', '[1, 2]'),
  margin: opt.number(1, 'c: the margin by which the target score should beat every other score.', '(-inf, inf)'),
  weight: opt.tensor(['C'], 'Per-class weights [C]: sample i\'s terms are scaled by w_{yᵢ} (\'mean\' still divides by N, as PyTorch).'),
  normalizeByC: opt.boolean(true, 'Divide each sample\'s sum by C, as PyTorch (graft\'s addition: false gives Weston–Watkins\' plain sum).'),
  reduction: opt.reduction(),
};
export type MultiMarginLossOptions = OptionsOf<typeof options>;

/**
 * Multi-class hinge loss, PyTorch's `F.multi_margin_loss` (Weston–Watkins' multiclass SVM loss).
 *
 * ℓᵢ = (w_{yᵢ}/C)·Σ_{k ≠ yᵢ} max(0, c − x_{i,yᵢ} + x_ik)^p; the k = yᵢ term is masked out, and
 * the hinge's gradient at exactly 0 is 0, as PyTorch's.
 *
 * @param input scores [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Weston & Watkins, "Support Vector Machines for Multi-Class Pattern Recognition", ESANN 1999
 */
export function multiMarginLoss(...args: Call<[input: Tensor, target: Tensor], MultiMarginLossOptions>): Tensor {
  const [input, target, { p, margin, weight, normalizeByC, reduction }] = entry.check(args);
  const c = input.shape[1];
  const others = target.unsqueeze(1).ne(arange(c, undefined, 1, { backend: input.backendName })); // k ≠ yᵢ
  const hinge = input.sub(input.gather(1, target.unsqueeze(1))).add(margin).relu();
  let values = others.where(p === 2 ? hinge.square() : hinge, 0).sum(1);
  if (weight) values = values.mul(weight.indexSelect(0, target));
  return applyReduction(normalizeByC ? values.div(c) : values, { reduction });
}

export const entry = defineLoss({
  id: 'multi-margin-loss',
  // The catalog's Weston–Watkins hinge is this loss (p = 1, margin c, divided by C).
  aliases: ['weston-watkins-hinge'],
  fn: multiMarginLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  meta: { name: 'Multi-class margin loss (multiclass hinge)', category: 'pytorch', papers: [] },
});
