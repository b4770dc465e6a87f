import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { meanOverDefined, pairwiseAucPerLabel } from '../parts/ranking-auc.js';

const options = {
  surrogate: opt.oneOf(['logistic', 'squared', 'hinge'] as const, 'logistic', 'l(t): logistic softplus(−t), squared (1 − t)², hinge (1 − t)₊.'),
};
export type MacroAucPairwiseOptions = OptionsOf<typeof options>;

/**
 * Macro-AUC pairwise surrogate loss (multi-label): per label, the mean surrogate loss over its positive–negative pairs.
 *
 * ℓ = mean_c (1/(|P_c|·|N_c|))·Σ_{i∈P_c, j∈N_c} l(f_ic − f_jc), over the labels with both a positive and a negative
 * (the others are skipped). The logistic surrogate is softplus(−t), finite at scores of ±1e4.
 *
 * @param input scores f [N, C]
 * @param target multi-hot labels Y [N, C]
 * @returns a scalar
 * @see Wu et al., "Towards Understanding Generalization of Macro-AUC in Multi-label Learning", ICML 2023
 */
export function macroAucPairwiseSurrogate(...args: Call<[input: Tensor, target: Tensor], MacroAucPairwiseOptions>): Tensor {
  const [f, y, { surrogate }] = entry.check(args);
  const { values, defined } = pairwiseAucPerLabel(f, y, surrogate);
  return meanOverDefined(values, defined);
}

export const entry = defineLoss({
  id: 'macro-auc-pairwise-surrogate',
  fn: macroAucPairwiseSurrogate,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'C'], dtype: 'float', domain: 'multi-hot' },
  ],
  options,
  output: 'batch',
});
