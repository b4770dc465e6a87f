import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  margin: opt.number(1, 'Δ: dissimilar pairs are pushed to distances of at least Δ.', '(-inf, inf)'),
  reduction: opt.reduction(),
};
export type HingeEmbeddingLossOptions = OptionsOf<typeof options>;

/**
 * Hinge embedding loss on distances, PyTorch's `F.hinge_embedding_loss`.
 *
 * ℓ = x where y = 1, max(0, Δ − x) where y = −1 (PyTorch's where-sum exactly: a label other than
 * ±1 gets both terms); max is a clamp, so at x = Δ the gradient is −1, as PyTorch's clamp_min.
 *
 * @param input distances x [N, ...] (e.g. an L1 pairwise distance)
 * @param target labels y ∈ {−1, +1} [N, ...] (broadcastable to input)
 * @returns a scalar, or the elementwise losses [N, ...] with reduction 'none'
 * @see PyTorch 1.13, torch.nn.HingeEmbeddingLoss
 */
export function hingeEmbeddingLoss(...args: Call<[input: Tensor, target: Tensor], HingeEmbeddingLossOptions>): Tensor {
  const [input, target, { margin, reduction }] = entry.check(args);
  const dissimilar = target.ne(1).where(input.neg().add(margin).clamp(0), 0);
  const similar = target.ne(-1).where(input, 0);
  return applyReduction(dissimilar.add(similar), { reduction });
}

export const entry = defineLoss({
  id: 'hinge-embedding-loss',
  fn: hingeEmbeddingLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'sign' },
  ],
  options,
  output: 'elementwise',
  meta: { name: 'Hinge embedding loss', category: 'pytorch', papers: [] },
});
