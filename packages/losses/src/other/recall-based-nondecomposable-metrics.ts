import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  metric: opt.oneOf(['min-recall', 'mean-recall', 'g-mean', 'h-mean', 'min-coverage', 'coverage-violation'] as const, 'min-recall',
    "Which metric: the minimum, arithmetic, geometric or harmonic mean of the per-class recalls; the smallest predicted-class proportion min_k cov_k; or the constraint violation max_k (α/K − cov_k)₊."),
  coverageAlpha: opt.number(0.95, 'α of the coverage constraints cov_k ≥ α/K (used by \'coverage-violation\').', '[0, 1]'),
};
export type RecallMetricsOptions = OptionsOf<typeof options>;

/** The confusion matrix [K, K] (rows = true class, columns = predicted) of class predictions, as counts. */
export function confusionMatrix(prediction: Tensor, target: Tensor, numClasses: number): Tensor {
  return target.mul(numClasses).add(prediction).bincount(undefined, numClasses * numClasses).reshape([numClasses, numClasses]);
}

/**
 * Non-decomposable classification metrics of a confusion matrix: worst-class, mean, geometric-mean and
 * harmonic-mean recall, and the coverage (predicted-class proportions) of constrained objectives.
 *
 * recall_k = C_kk / Σ_j C_kj; min-recall = min_k recall_k; mean = (1/K) Σ recall_k; G-mean = (Π recall_k)^{1/K},
 * computed as exp(mean log recall_k) (0 when a recall is 0); H-mean = K / Σ 1/recall_k (0 when a recall is 0);
 * cov_k = Σ_i C_ik / Σ C (column proportions). Counts and normalised matrices give the same values. With soft
 * (probability-summed) confusion counts the metrics are differentiable almost everywhere, as SelMix uses
 * them; `confusionMatrix` builds hard counts from predictions.
 *
 * @param confusion confusion matrix C [K, K], rows the true class (non-negative; every row with a sample)
 * @returns a scalar
 * @see Ramasubramanian et al., "Selective Mixup Fine-Tuning for Optimizing Non-Decomposable Objectives", ICLR
 *   2024; Zhang et al., "Self-Supervised Aggregation of Diverse Experts for Test-Agnostic Long-Tailed
 *   Recognition", NeurIPS 2022
 */
export function recallBasedNondecomposableMetrics(...args: Call<[confusion: Tensor], RecallMetricsOptions>): Tensor {
  const [confusion, { metric, coverageAlpha }] = entry.check(args);
  const k = confusion.shape[0];
  const recall = confusion.diagonal().div(confusion.sum(1));
  const coverage = confusion.sum(0).div(confusion.sum());
  switch (metric) {
    case 'min-recall': return recall.amin();
    case 'mean-recall': return recall.mean();
    case 'g-mean': {
      // exp(mean log r): a zero recall gives exactly 0 (exp(−∞)), the product without over- or underflow.
      const pos = recall.gt(0).all();
      return pos.where(recall.gt(0).where(recall, 1).log().mean().exp(), 0);
    }
    case 'h-mean': {
      const pos = recall.gt(0);
      return pos.all().where(pos.where(recall, 1).reciprocal().sum().reciprocal().mul(k), 0);
    }
    case 'min-coverage': return coverage.amin();
    case 'coverage-violation': return coverage.neg().add(coverageAlpha / k).relu().amax();
    default: return metric satisfies never;
  }
}

export const entry = defineLoss({
  id: 'recall-based-nondecomposable-metrics',
  fn: recallBasedNondecomposableMetrics,
  args: [{ name: 'confusion', shape: ['C', 'C'], dtype: 'float', domain: 'nonneg' }],
  options,
  output: 'batch',
});
