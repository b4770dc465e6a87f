import { arange, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type MultilabelMarginLossOptions = OptionsOf<typeof options>;

/**
 * Multi-label hinge loss on listed target classes, PyTorch's `F.multilabel_margin_loss`.
 *
 * ℓᵢ = (1/C)·Σ_{j ∈ Yᵢ} Σ_{k ∉ Yᵢ} max(0, 1 − (x_ij − x_ik)), where Yᵢ are the class indices
 * listed in row i of the target up to its first −1 (a class listed twice counts twice, as in
 * PyTorch). Built as a [N, C, C] table of pairwise hinges weighted by how often j is listed and
 * whether k is unlisted; the hinge's gradient at exactly 0 is 0, as PyTorch's.
 *
 * @param input scores [N, C]
 * @param target class indices [N, C] (int32), each row a list ended by −1 (or full)
 * @returns a scalar, or [N] with reduction 'none'
 * @see PyTorch 1.13, torch.nn.MultiLabelMarginLoss
 */
export function multilabelMarginLoss(...args: Call<[input: Tensor, target: Tensor], MultilabelMarginLossOptions>): Tensor {
  const [input, target, { reduction }] = entry.check(args);
  const c = input.shape[1];
  const dtype = input.dtype;
  // listed[i, p]: position p comes before the first −1 of row i.
  const listed = target.lt(0).cast(dtype).cumsum(1).eq(0);
  const classes = arange(c, undefined, 1, { backend: input.backendName });
  // count[i, j]: how many listed positions of row i name class j.
  const count = listed.where(target, -1).unsqueeze(-1).eq(classes).cast(dtype).sum(1);
  const unlisted = count.eq(0).cast(dtype);
  // hinge[i, j, k] = max(0, 1 − x_ij + x_ik)
  const hinge = input.unsqueeze(1).sub(input.unsqueeze(2)).add(1).relu();
  const values = hinge.mul(count.unsqueeze(2)).mul(unlisted.unsqueeze(1)).sum([1, 2]).div(c);
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'multilabel-margin-loss',
  fn: multilabelMarginLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'C'], dtype: 'int', domain: 'label-list' },
  ],
  options,
  output: 'per-sample',
  meta: { name: 'Multi-label margin loss', category: 'pytorch', papers: [] },
});
