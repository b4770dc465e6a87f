import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cosineSimilarityMatrix } from '../parts/distances.js';
import { log1pSumExp, multiSimilarityMine } from '../parts/miners.js';
import { applyReduction } from '../reduce.js';

const options = {
  alpha: opt.number(2, 'α: the positive scale.', '(0, inf)'),
  beta: opt.number(50, 'β: the negative scale (the paper 50; the official config 40).', '(0, inf)'),
  lambda: opt.number(0.5, 'λ: the similarity threshold (code THRESH).', '[-1, 1]'),
  eps: opt.number(0.1, 'ε: the mining margin (code MARGIN).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type MultiSimilarityOptions = OptionsOf<typeof options>;

/**
 * Multi-Similarity loss with its pair mining.
 *
 * S = X̂X̂ᵀ of the L2-normalised embeddings; mined pairs (parts/miners multiSimilarityMine): negatives with
 * S_ik + ε > min_{P_i} S_ij, positives with S_ij − ε < max_{N_i} S_ik. ℓ_i = (1/α)·log(1 + Σ_{j kept}
 * e^{−α(S_ij − λ)}) + (1/β)·log(1 + Σ_{k kept} e^{β(S_ik − λ)}) (logsumexp with an appended 0); an anchor with no
 * kept positive or no kept negative contributes 0 and still counts in the mean (official code).
 *
 * @param embeddings [N, D]
 * @param labels class indices [N] (int32)
 * @returns the mean over anchors; 'sum'; or the per-anchor losses [N] with reduction 'none'
 * @see Wang et al., "Multi-Similarity Loss with General Pair Weighting for Deep Metric Learning", CVPR 2019, arXiv:1904.06627
 */
export function multiSimilarityLoss(...args: Call<[embeddings: Tensor, labels: Tensor], MultiSimilarityOptions>): Tensor {
  const [embeddings, labels, { alpha, beta, lambda, eps, reduction }] = entry.check(args);
  const s = cosineSimilarityMatrix(embeddings, embeddings);
  const { pos, neg } = multiSimilarityMine(s, labels, eps);
  const valid = pos.any(1).logicalAnd(neg.any(1));
  const v = log1pSumExp(s.sub(lambda).mul(-alpha), pos, 1).div(alpha).add(log1pSumExp(s.sub(lambda).mul(beta), neg, 1).div(beta));
  return applyReduction(valid.where(v, 0), { reduction });
}

export const entry = defineLoss({
  id: 'multi-similarity',
  fn: multiSimilarityLoss,
  args: [
    { name: 'embeddings', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'labels', shape: ['N'], dtype: 'int', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
