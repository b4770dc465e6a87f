import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import type { OptionsOf } from '../options.js';

const options = {};
export type F1ThresholdSelectionOptions = OptionsOf<typeof options>;

/**
 * Per-class decision thresholds maximising F1 on validation scores (post-hoc, not differentiable).
 *
 * Per class: sort the scores descending; TP_t, FP_t are the cumulative counts of positives and
 * negatives among the top t + 1; F1_t = 2TP_t/(TP_t + FP_t + P), P the class's positives. Only cut
 * points at the end of a run of tied scores are candidates (a threshold cannot split ties);
 * thr_k = the score at the first argmax (predict positive when score ≥ thr_k). A class without
 * positives (every F1 = 0) gets its highest score.
 *
 * @param scores validation scores [N, K]
 * @param target multi-hot labels [N, K]
 * @returns the thresholds [K]
 * @see Yilmaz et al., "Multi-Label Sentiment Analysis on 100 Languages with Dynamic Weighting for Label Imbalance", 2020
 */
export function f1ThresholdSelection(...args: Call<[scores: Tensor, target: Tensor], F1ThresholdSelectionOptions>): Tensor {
  const [scores, target] = entry.check(args);
  const s = scores.detach();
  const { values, indices } = s.sort(0, true); // [N, K]
  const y = target.detach().cast(s.dtype).gather(0, indices);
  const tp = y.cumsum(0);
  const rank = tp.onesLike().cumsum(0); // t + 1
  const f1 = tp.mul(2).div(rank.add(y.sum(0, true)));
  const n = s.shape[0];
  // A cut after row t is a candidate when the next score differs (or t is the last row).
  const next = values.narrow(0, 1, n - 1).ne(values.narrow(0, 0, n - 1));
  const endOfRun = next.cast(s.dtype).pad([0, 0, 0, 1], 1);
  const f1c = endOfRun.gt(0.5).where(f1, -1);
  const best = f1c.argmax(0, true);
  return values.gather(0, best).squeeze(0);
}

export const entry = defineLoss({
  id: 'f1-threshold-selection',
  fn: f1ThresholdSelection,
  args: [
    { name: 'scores', shape: ['N', 'C'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'C'], dtype: 'float', domain: 'multi-hot' },
  ],
  options,
  output: 'batch',
  nonDifferentiable: 'post-hoc threshold selection: the thresholds are sample scores picked by an argmax over sorted cut points',
});
