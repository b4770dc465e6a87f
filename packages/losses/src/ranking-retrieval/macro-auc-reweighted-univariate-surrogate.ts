import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { surrogate as lossOf } from '../parts/ranking-sort.js';

const options = {
  surrogate: opt.oneOf(['logistic', 'squared', 'hinge'] as const, 'logistic', 'l(t): logistic softplus(−t), squared (1 − t)², hinge (1 − t)₊.'),
};
export type MacroAucReweightedOptions = OptionsOf<typeof options>;

/**
 * Macro-AUC reweighted univariate surrogate (multi-label): a per-label class-balanced univariate loss.
 *
 * ℓ = (1/C)·Σ_c [(1/|P_c|)·Σ_{i∈P_c} l(f_ic) + (1/|N_c|)·Σ_{j∈N_c} l(−f_jc)]; an empty P_c or N_c contributes 0.
 *
 * @param input scores f [N, C]
 * @param target multi-hot labels Y [N, C]
 * @returns a scalar
 * @see Wu et al., "Towards Understanding Generalization of Macro-AUC in Multi-label Learning", ICML 2023
 */
export function macroAucReweightedUnivariateSurrogate(...args: Call<[input: Tensor, target: Tensor], MacroAucReweightedOptions>): Tensor {
  const [f, y, { surrogate }] = entry.check(args);
  const pos = y.gt(0.5).cast(f.dtype);
  const neg = pos.neg().add(1);
  const p = lossOf(f, surrogate).mul(pos).sum(0).div(pos.sum(0).clamp(1));
  const n = lossOf(f.neg(), surrogate).mul(neg).sum(0).div(neg.sum(0).clamp(1));
  return p.add(n).mean();
}

export const entry = defineLoss({
  id: 'macro-auc-reweighted-univariate-surrogate',
  fn: macroAucReweightedUnivariateSurrogate,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'C'], dtype: 'float', domain: 'multi-hot' },
  ],
  options,
  output: 'batch',
});
