import { ArgumentError, type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  classStats: opt.tensor(['C'], 'Running per-class statistic s [C] (≥ 0): the F1 (weights ∝ 1/(s + ε)) or the mean loss (weights ∝ s); absent: equal weights.'),
  statistic: opt.oneOf(['f1', 'loss'], 'f1', "What classStats holds: 'f1' (a weak class gets more weight) or 'loss' (a high-loss class gets more weight)."),
  eps: opt.number(1e-3, 'ε of 1/(F1 + ε).', '(0, inf)'),
};
export type DynamicClassWeightingOptions = OptionsOf<typeof options>;

/** The state of createDynamicClassWeights: the running statistic per class. */
export interface DynamicClassWeightsState { momentum: number; stats: number[]; seen: boolean }

/**
 * Running per-class statistics for dynamic-class-weighting: `update(values)` folds one evaluation of the
 * per-class statistic (F1 on a validation pass, or the mean loss per class) into an EMA with momentum μ
 * (the first call sets it). `stats` is then passed as `classStats`. State: `{ momentum, stats, seen }`.
 */
export function createDynamicClassWeights({ numClasses, momentum = 0.9 }: { numClasses: number; momentum?: number }) {
  if (!(momentum >= 0 && momentum < 1)) throw new ArgumentError('createDynamicClassWeights', `momentum must lie in [0, 1), got ${momentum}`);
  let state: DynamicClassWeightsState = { momentum, stats: Array(numClasses).fill(1), seen: false };
  return {
    get stats(): Tensor { return tensor(state.stats, { dtype: 'float64' }); },
    update(values: Tensor | readonly number[]): Tensor {
      const v = Array.from(Array.isArray(values) ? values : (values as Tensor).data());
      if (v.length !== numClasses) throw new ArgumentError('DynamicClassWeights.update', `expected ${numClasses} values, got ${v.length}`);
      state = { ...state, stats: state.seen ? state.stats.map((s, k) => state.momentum * s + (1 - state.momentum) * v[k]) : v, seen: true };
      return tensor(state.stats, { dtype: 'float64' });
    },
    stateDict: (): DynamicClassWeightsState => ({ momentum: state.momentum, stats: [...state.stats], seen: state.seen }),
    loadStateDict(s: DynamicClassWeightsState) { state = { momentum: s.momentum, stats: [...s.stats], seen: s.seen }; },
  };
}

/**
 * Dynamic per-class loss weighting for multi-label imbalance: per-class losses combined with weights
 * recomputed during training from running per-class statistics.
 *
 * w_k ∝ 1/(F1_k + ε) (or ∝ the running mean loss of class k), normalised to Σ_k w_k = C and detached;
 * L = Σ_k w_k·L_k. The running statistic is kept by `createDynamicClassWeights` and refreshed by the loop.
 *
 * @param classLosses per-class losses L_k [C] (BCE or focal reduced per class)
 * @returns a scalar
 * @see Yilmaz et al., "Multi-Label Sentiment Analysis on 100 Languages with Dynamic Weighting for Label Imbalance", 2020
 */
export function dynamicClassWeighting(...args: Call<[classLosses: Tensor], DynamicClassWeightingOptions>): Tensor {
  const [classLosses, { classStats, statistic, eps }] = entry.check(args);
  const c = classLosses.shape[0];
  if (!classStats) return classLosses.sum();
  const s = classStats.detach().cast(classLosses.dtype);
  if (Array.from(s.data()).some((v) => !(v >= 0))) throw new ArgumentError('dynamicClassWeighting', "option 'classStats': expected non-negative values");
  const raw = statistic === 'f1' ? s.add(eps).reciprocal() : s.add(eps);
  const w = raw.mul(c).div(raw.sum());
  return classLosses.mul(w).sum();
}

export const entry = defineLoss({
  id: 'dynamic-class-weighting',
  fn: dynamicClassWeighting,
  args: [{ name: 'classLosses', shape: ['C'], dtype: 'float', domain: 'nonneg' }],
  options,
  output: 'batch',
  reading: 'w_k ∝ 1/(running F1_k + ε) (or ∝ running mean loss + ε), normalised to sum C and detached; the running statistic is an EMA held by createDynamicClassWeights and updated by the training loop.',
});
