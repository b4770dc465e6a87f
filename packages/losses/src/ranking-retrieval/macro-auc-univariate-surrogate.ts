import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { surrogate as lossOf } from '../parts/ranking-sort.js';

const options = {
  surrogate: opt.oneOf(['logistic', 'squared', 'hinge'] as const, 'logistic', 'l(t): logistic softplus(−t), squared (1 − t)², hinge (1 − t)₊.'),
  reduction: opt.reduction(),
};
export type MacroAucUnivariateOptions = OptionsOf<typeof options>;

/**
 * Macro-AUC univariate surrogate (multi-label): a surrogate loss on each signed score.
 *
 * ỹ = 2Y − 1; ℓ = (1/C)·Σ_c (1/N)·Σ_i l(ỹ_ic·f_ic), i.e. the mean of l(ỹ·f) (the logistic surrogate is BCE with logits).
 *
 * @param input scores f [N, C]
 * @param target multi-hot labels Y [N, C]
 * @returns a scalar, or [N, C] with reduction 'none'
 * @see Wu et al., "Towards Understanding Generalization of Macro-AUC in Multi-label Learning", ICML 2023
 */
export function macroAucUnivariateSurrogate(...args: Call<[input: Tensor, target: Tensor], MacroAucUnivariateOptions>): Tensor {
  const [f, y, { surrogate, reduction }] = entry.check(args);
  return applyReduction(lossOf(f.mul(y.mul(2).sub(1)), surrogate), { reduction });
}

export const entry = defineLoss({
  id: 'macro-auc-univariate-surrogate',
  fn: macroAucUnivariateSurrogate,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N', 'C'], dtype: 'float', domain: 'multi-hot' },
  ],
  options,
  output: 'elementwise',
});
