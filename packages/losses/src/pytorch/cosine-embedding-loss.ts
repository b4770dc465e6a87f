import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  margin: opt.number(0, 'Dissimilar pairs are penalised only above this cosine (PyTorch suggests 0 to 0.5).', '[-1, 1]'),
  reduction: opt.reduction(),
};
export type CosineEmbeddingLossOptions = OptionsOf<typeof options>;

/**
 * Cosine embedding loss on pairs, PyTorch's `F.cosine_embedding_loss`.
 *
 * ℓᵢ = 1 − cos(x₁ᵢ, x₂ᵢ) where y = 1, max(0, cos − margin) where y = −1 (0 for other labels),
 * with cos = ⟨x₁, x₂⟩ / √((‖x₁‖² + 1e−12)(‖x₂‖² + 1e−12)) as PyTorch computes it, so zero
 * vectors give cos = 0 and a finite gradient.
 *
 * @param input1 embeddings x₁ [N, D]
 * @param input2 embeddings x₂ [N, D]
 * @param target labels y ∈ {−1, +1} [N]
 * @returns a scalar, or [N] with reduction 'none'
 * @see PyTorch 1.13, torch.nn.CosineEmbeddingLoss
 */
export function cosineEmbeddingLoss(...args: Call<[input1: Tensor, input2: Tensor, target: Tensor], CosineEmbeddingLossOptions>): Tensor {
  const [input1, input2, target, { margin, reduction }] = entry.check(args);
  const eps = 1e-12;
  const dot = input1.mul(input2).sum(-1);
  const cos = dot.div(input1.square().sum(-1).add(eps).mul(input2.square().sum(-1).add(eps)).sqrt());
  const values = target.eq(1).where(cos.neg().add(1), 0).add(target.eq(-1).where(cos.sub(margin).clamp(0), 0));
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'cosine-embedding-loss',
  fn: cosineEmbeddingLoss,
  args: [
    { name: 'input1', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'input2', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'float', domain: 'sign' },
  ],
  options,
  output: 'per-sample',
  meta: { name: 'Cosine embedding loss', category: 'pytorch', papers: [] },
});
