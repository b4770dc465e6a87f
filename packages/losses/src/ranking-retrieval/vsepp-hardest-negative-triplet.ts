import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { cosineSimilarityMatrix } from '../parts/distances.js';

const options = {
  margin: opt.number(0.2, 'm: the margin.', '[0, inf)'),
  reduction: opt.reduction('sum'),
};
export type VseppOptions = OptionsOf<typeof options>;

/**
 * VSE++ hardest-negative triplet ranking loss for paired image/text embeddings.
 *
 * S_ij = cos(img_i, txt_j); ℓ_i = (m − S_ii + max_{j≠i} S_ij)₊ + (m − S_ii + max_{j≠i} S_ji)₊; 'sum' over the batch
 * (the paper's default). A batch of one has no negative: ℓ = 0.
 *
 * @param input image embeddings [B, D]
 * @param other text embeddings [B, D] (row i matches row i)
 * @returns a scalar, or [B] with reduction 'none'
 * @see Faghri et al., "VSE++: Improving Visual-Semantic Embeddings with Hard Negatives", BMVC 2018
 */
export function vseppHardestNegativeTriplet(...args: Call<[input: Tensor, other: Tensor], VseppOptions>): Tensor {
  const [img, txt, { margin, reduction }] = entry.check(args);
  const s = cosineSimilarityMatrix(img, txt);
  const b = s.shape[0];
  const diag = s.diagonal();
  if (b === 1) return applyReduction(diag.mul(0), { reduction });
  const off = s.diagonal().diagEmbed().onesLike().sub(s.newOnes([b]).diagEmbed()).gt(0);
  const hard = (m: Tensor) => off.where(m, -Infinity).amax(1);
  const v = hard(s).sub(diag).add(margin).relu().add(hard(s.T).sub(diag).add(margin).relu());
  return applyReduction(v, { reduction });
}

export const entry = defineLoss({
  id: 'vsepp-hardest-negative-triplet',
  fn: vseppHardestNegativeTriplet,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'other', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
