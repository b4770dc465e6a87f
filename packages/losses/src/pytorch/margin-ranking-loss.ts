import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  margin: opt.number(0, 'The margin by which the preferred input should rank higher.', '(-inf, inf)'),
  reduction: opt.reduction(),
};
export type MarginRankingLossOptions = OptionsOf<typeof options>;

/**
 * Pairwise ranking hinge, PyTorch's `F.margin_ranking_loss`.
 *
 * ℓ = max(0, −y·(x₁ − x₂) + margin): y = 1 asks x₁ to exceed x₂ by the margin, y = −1 the
 * reverse. max is a clamp, so at 0 the gradient passes, as PyTorch's clamp_min.
 *
 * @param input1 scores x₁ [N, ...]
 * @param input2 scores x₂ [N, ...]
 * @param target labels y ∈ {−1, +1} [N, ...]
 * @returns a scalar, or the elementwise losses [N, ...] with reduction 'none'
 * @see PyTorch 1.13, torch.nn.MarginRankingLoss
 */
export function marginRankingLoss(...args: Call<[input1: Tensor, input2: Tensor, target: Tensor], MarginRankingLossOptions>): Tensor {
  const [input1, input2, target, { margin, reduction }] = entry.check(args);
  return applyReduction(target.neg().mul(input1.sub(input2)).add(margin).clamp(0), { reduction });
}

export const entry = defineLoss({
  id: 'margin-ranking-loss',
  fn: marginRankingLoss,
  args: [
    { name: 'input1', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'input2', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'sign' },
  ],
  options,
  output: 'elementwise',
  meta: { name: 'Margin ranking loss', category: 'pytorch', papers: [] },
});
