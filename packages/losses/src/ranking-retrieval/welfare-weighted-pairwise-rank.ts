import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  reduction: opt.oneOf(['mean', 'sum'] as const, 'mean', "'mean': over the ordered pairs (0 when there are none); 'sum': their sum."),
};
export type WelfareWeightedPairwiseRankOptions = OptionsOf<typeof options>;

/**
 * Welfare-weighted pairwise rank loss for CTR prediction: a RankNet on predicted eCPM b·σ(z), each pair weighted by
 * the welfare it decides.
 *
 * s_i = σ(z_i), e_i = b_i·s_i, t_i = b_i·y_i; over ordered pairs (i, j) of the same auction with t_i > t_j:
 * ℓ_ij = (t_i − t_j)·softplus(−(e_i − e_j)) (= −(t_i − t_j)·log σ(e_i − e_j), softplus finite at any margin).
 * Reading: the pair weight is the welfare difference and the pairs are all pairs of an auction (the catalog's
 * reading of the paper's weighted rank loss); y is a click label, or a teacher's CTR for calibration.
 *
 * @param input CTR logits z [N]
 * @param bids b [N] (positive)
 * @param target clicks or teacher CTRs y [N] in [0, 1]
 * @param group optional auction ids [N] (int32); absent: one auction
 * @returns a scalar
 * @see "Pairwise Ranking Losses of Click-Through Rates Prediction for Welfare Maximization in Ad Auctions", ICML 2023
 */
export function welfareWeightedPairwiseRankLoss(...args: Call<[input: Tensor, bids: Tensor, target: Tensor, group?: Tensor | null], WelfareWeightedPairwiseRankOptions>): Tensor {
  const [z, b, y, group, { reduction }] = entry.check(args);
  const e = b.mul(z.sigmoid());
  const t = b.mul(y);
  const dt = t.unsqueeze(1).sub(t.unsqueeze(0)); // [N, N]: t_i − t_j
  let pair = dt.gt(0);
  if (group) pair = pair.logicalAnd(group.unsqueeze(1).eq(group.unsqueeze(0)));
  const w = dt.mul(pair.cast(z.dtype));
  const total = w.mul(e.unsqueeze(0).sub(e.unsqueeze(1)).softplus()).sum();
  return reduction === 'sum' ? total : total.div(pair.cast(z.dtype).sum().clamp(1));
}

export const entry = defineLoss({
  id: 'welfare-weighted-pairwise-rank',
  fn: welfareWeightedPairwiseRankLoss,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'logits' },
    { name: 'bids', shape: ['N'], dtype: 'float', domain: 'positive', stopGradient: true },
    { name: 'target', shape: ['N'], dtype: 'float', domain: 'prob', stopGradient: true },
    { name: 'group', shape: ['N'], dtype: 'int', domain: 'real', optional: true },
  ],
  options,
  output: 'batch',
  reading: 'Pairs (i, j) of one auction with b_i·y_i > b_j·y_j, weight b_i·y_i − b_j·y_j, RankNet softplus(−(b_i·σ(z_i) − b_j·σ(z_j))); mean over the ordered pairs.',
});
