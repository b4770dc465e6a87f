import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { targetMap } from '../parts/overlap-stats.js';

const options = {
  average: opt.oneOf(['macro', 'none'] as const, 'macro', "'macro': the mean over the classes with both a positive and a negative; 'none': per-class AUC [C] (NaN for an undefined class)."),
};
export type RocAucOptions = OptionsOf<typeof options>;

/**
 * ROC AUC per class, Macro-AUC and one-vs-rest AUC: the Mann–Whitney statistic with ties counted one half.
 *
 * AUC_c = (1/(|P_c|·|N_c|))·Σ_{i∈P_c, j∈N_c} (1[f_ic > f_jc] + ½·1[f_ic = f_jc]) (equal to the rank form with average
 * ranks); class indices [N] are one-vs-rest. Computed from the pairwise comparison matrix [N, N, C].
 *
 * @param input scores [N, C]
 * @param target multi-hot labels [N, C], or class indices [N] (int32, one-vs-rest)
 * @returns a scalar (macro), or [C] with average 'none'
 * @see Wu et al., "Towards Understanding Generalization of Macro-AUC in Multi-label Learning", ICML 2023; Hanley & McNeil 1982
 */
export function rocAucMetrics(...args: Call<[input: Tensor, target: Tensor], RocAucOptions>): Tensor {
  const [f, target, { average }] = entry.check(args);
  const pos = targetMap(f, target).gt(0.5);
  const pairs = pos.unsqueeze(1).logicalAnd(pos.logicalNot().unsqueeze(0)).cast(f.dtype); // [i, j, C]
  const fi = f.unsqueeze(1);
  const fj = f.unsqueeze(0);
  const score = fi.gt(fj).cast(f.dtype).add(fi.eq(fj).cast(f.dtype).mul(0.5));
  const count = pairs.sum([0, 1]);
  const defined = count.gt(0);
  const auc = score.mul(pairs).sum([0, 1]).div(count.clamp(1));
  if (average === 'none') return defined.where(auc, NaN);
  const d = defined.cast(f.dtype);
  return auc.mul(d).sum().div(d.sum().clamp(1));
}

export const entry = defineLoss({
  id: 'roc-auc-metrics',
  fn: rocAucMetrics,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'C'], dtype: 'float', domain: 'multi-hot', or: { shape: ['N'], dtype: 'int', domain: 'label' } },
  ],
  options,
  output: 'batch',
  nonDifferentiable: 'An evaluation metric: counts of score comparisons (piecewise constant); train with the macro-auc-* or mann-whitney-auc-loss surrogates.',
});
