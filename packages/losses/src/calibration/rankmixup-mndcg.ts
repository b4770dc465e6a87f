import { concat, type Tensor } from '@graft/core';
import { crossEntropy } from '../classification/cross-entropy.js';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { confidence } from '../parts/confidence.js';
import { applyReduction } from '../reduce.js';

const options = {
  alpha: opt.number(0.1, 'α: weight of the 1 − NDCG term.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type RankMixupMndcgOptions = OptionsOf<typeof options>;

/**
 * RankMixup M-NDCG loss: cross-entropy on raw samples plus 1 − a two-sided NDCG between the
 * confidences of the raw sample and its M mixup versions and their label relevances.
 *
 * The raw sample comes first with relevance 1, then the mixes sorted by relevance rel (the max of
 * each mixed label, = max(λ, 1 − λ) for two classes) descending; conf_r = max softmax(z_r) =
 * exp(max − logsumexp). DCG = Σ_r conf_r / log₂(r + 1), IDCG = Σ_r rel_r / log₂(r + 1), r = 1..M+1;
 * ndcg = min(DCG/IDCG, IDCG/DCG); ℓᵢ = CE(zᵢ, yᵢ) + α (1 − ndcgᵢ). The sort only permutes (no
 * gradient through the order); ties in rel keep the input order (stable sort).
 *
 * @param logits logits of the raw samples [N, C]
 * @param target class indices [N] (int32)
 * @param mixupLogits logits of the M mixup versions of each sample [N, M, C]
 * @param relevance max of each version's mixed label [N, M]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Noh, Park, Lee & Ham, "RankMixup: Ranking-Based Mixup Training for Network Calibration", ICCV 2023
 */
export function rankMixupMndcg(...args: Call<[logits: Tensor, target: Tensor, mixupLogits: Tensor, relevance: Tensor], RankMixupMndcgOptions>): Tensor {
  const [logits, target, mixupLogits, relevance, { alpha, reduction }] = entry.check(args);
  const order = relevance.detach().argsort(-1, true);
  const conf = concat([confidence(logits, -1).unsqueeze(-1), confidence(mixupLogits, -1).gather(-1, order)], -1); // [N, M+1]
  const rel = concat([relevance.newOnes([relevance.shape[0], 1]), relevance.gather(-1, order)], -1);
  const m1 = conf.shape[1];
  const discount = conf.newOnes([m1]).cumsum(0).add(1).log2(); // log₂(r + 1), r = 1..M+1
  const dcg = conf.div(discount).sum(-1);
  const idcg = rel.div(discount).sum(-1);
  const ndcg = idcg.gt(dcg).where(dcg.div(idcg), idcg.div(dcg));
  return applyReduction(crossEntropy(logits, target, { reduction: 'none' }).add(ndcg.neg().add(1).mul(alpha)), { reduction });
}

export const entry = defineLoss({
  id: 'rankmixup-mndcg',
  fn: rankMixupMndcg,
  args: [
    { name: 'logits', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'mixupLogits', shape: ['N', 'M', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'relevance', shape: ['N', 'M'], dtype: 'float', domain: 'prob' },
  ],
  options,
  output: 'per-sample',
});
