import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cosineSimilarityMatrix } from '../parts/distances.js';
import { allPairs, maskedLogSumExp } from '../parts/miners.js';
import { applyReduction } from '../reduce.js';

const options = {
  m: opt.number(0.25, 'm: the relaxation margin (Δ_p = 1 − m, Δ_n = m, optima 1 + m and −m).', '[0, 1]'),
  gamma: opt.number(256, 'γ: the scale (256 for faces, 64–128 for re-ID and retrieval).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type CircleOptions = OptionsOf<typeof options>;

/**
 * Circle loss, pair-wise form: self-paced weights on each within-class and between-class similarity.
 *
 * Per anchor, s_p / s_n = cosines to its positives (self excluded) / negatives; α_p = relu(1 + m − sg(s_p)),
 * α_n = relu(sg(s_n) + m); ℓ = softplus(lse_n(γα_n(s_n − m)) + lse_p(−γα_p(s_p − 1 + m))) (masked, max-shifted
 * logsumexps). An anchor without a positive or a negative gives 0 with zero gradient. The class-level form is
 * this with the positives and negatives taken from class weights (pass them as embeddings).
 *
 * @param embeddings [N, D]
 * @param labels class indices [N] (int32)
 * @returns the mean over anchors; 'sum'; or the per-anchor losses [N] with reduction 'none'
 * @see Sun et al., "Circle Loss: A Unified Perspective of Pair Similarity Optimization", CVPR 2020, arXiv:2002.10857
 */
export function circleLoss(...args: Call<[embeddings: Tensor, labels: Tensor], CircleOptions>): Tensor {
  const [embeddings, labels, { m, gamma, reduction }] = entry.check(args);
  const s = cosineSimilarityMatrix(embeddings, embeddings);
  const { pos, neg } = allPairs(labels);
  const sd = s.detach();
  const ln = maskedLogSumExp(sd.add(m).relu().mul(s.sub(m)).mul(gamma), neg, 1);
  const lp = maskedLogSumExp(sd.neg().add(1 + m).relu().mul(s.sub(1 - m)).mul(-gamma), pos, 1);
  const valid = pos.any(1).logicalAnd(neg.any(1));
  return applyReduction(valid.where(valid.where(ln.add(lp), 0).softplus(), 0), { reduction });
}

export const entry = defineLoss({
  id: 'circle',
  fn: circleLoss,
  args: [
    { name: 'embeddings', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'labels', shape: ['N'], dtype: 'int', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  surrogateGradient: 'The weights α_p, α_n are held constant (stop-gradient), as Circle loss defines them: the backward is not the derivative of the forward, so finite differences cannot match it; the fixtures check that gradient against PyTorch.',
});
