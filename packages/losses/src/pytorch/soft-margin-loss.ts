import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type SoftMarginLossOptions = OptionsOf<typeof options>;

/**
 * Two-class logistic loss on ±1 labels, PyTorch's `F.soft_margin_loss`.
 *
 * ℓ = log(1 + e^{−y·x}) = softplus(−y·x) in the stable form max(z, 0) + log1p(e^{−|z|}), so
 * logits of ±1e4 stay finite (PyTorch's log1p(exp(·)) overflows to inf there). It is
 * binaryCrossEntropyWithLogits with targets (y + 1)/2.
 *
 * @param input scores x [N, ...]
 * @param target labels y ∈ {−1, +1} [N, ...] (broadcastable to input)
 * @returns a scalar, or the elementwise losses [N, ...] with reduction 'none'
 * @see PyTorch 1.13, torch.nn.SoftMarginLoss
 */
export function softMarginLoss(...args: Call<[input: Tensor, target: Tensor], SoftMarginLossOptions>): Tensor {
  const [input, target, { reduction }] = entry.check(args);
  return applyReduction(target.mul(input).neg().softplus(), { reduction });
}

export const entry = defineLoss({
  id: 'soft-margin-loss',
  fn: softMarginLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'sign' },
  ],
  options,
  output: 'elementwise',
  meta: { name: 'Soft margin loss (logistic loss on ±1 labels)', category: 'pytorch', papers: [] },
});
