import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { maeValues, nceValues, nflValues, rceValues } from '../parts/robust-symmetric.js';

const options = {
  alpha: opt.number(1, 'α: weight of the active term (CIFAR-100 in the paper: 10).', '[0, inf)'),
  beta: opt.number(1, 'β: weight of the passive term (CIFAR-100 in the paper: 0.1).', '[0, inf)'),
  active: opt.oneOf(['nce', 'nfl'], 'nce', "Active term: normalized cross-entropy or normalized focal loss."),
  passive: opt.oneOf(['rce', 'mae'], 'rce', "Passive term: reverse cross-entropy −A(1 − p_y) or MAE 2(1 − p_y)."),
  A: opt.number(-4, 'A = log 0 of RCE (−4 in the paper, log 1e-4 ≈ −9.21 in the released code).', '(-inf, 0)'),
  gamma: opt.number(0.5, 'γ of the normalized focal loss (active \'nfl\').', '[0, inf)'),
  reduction: opt.reduction(),
};
export type AplOptions = OptionsOf<typeof options>;

/**
 * Active-passive loss (APL): a normalized ("active") loss plus a bounded ("passive") one, both robust to
 * symmetric label noise.
 *
 * ℓᵢ = α·L_active + β·L_passive with L_active ∈ {NCE = log p_y/Σ_j log p_j, NFL = FL_y/Σ_j FL_j} and
 * L_passive ∈ {RCE = −A(1 − p_y), MAE = 2(1 − p_y)}: NCE+RCE (default), NCE+MAE, NFL+RCE, NFL+MAE. Every
 * term is computed in log space (parts/robust-symmetric), finite at logits of ±1e4 (C ≥ 2).
 *
 * @param input logits [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Ma et al., "Normalized Loss Functions for Deep Learning with Noisy Labels", ICML 2020
 */
export function activePassiveLoss(...args: Call<[input: Tensor, target: Tensor], AplOptions>): Tensor {
  const [input, target, { alpha, beta, active, passive, A, gamma, reduction }] = entry.check(args);
  const act = active === 'nce' ? nceValues(input, target) : nflValues(input, target, gamma);
  const pas = passive === 'rce' ? rceValues(input, target, A) : maeValues(input, target, 2);
  return applyReduction(act.mul(alpha).add(pas.mul(beta)), { reduction });
}

export const entry = defineLoss({
  id: 'apl',
  fn: activePassiveLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  needsTwoClasses: 'the normalized active term is 0/0 for a single class',
});
