import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { maeValues } from '../parts/robust-symmetric.js';

const options = {
  scale: opt.number(2, 'Scale of 1 − p_y: 2 is Σ_k |onehot_k − p_k| (Ghosh et al., APL); 1 is the comp-sum τ = 2 member.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type MaeProbOptions = OptionsOf<typeof options>;

/**
 * Mean absolute error on the probability simplex (a symmetric, bounded loss for noisy labels).
 *
 * ℓᵢ = Σ_k |onehot(y)_k − p_k| = 2(1 − p_y), here scale·(1 − p_y). Stable form: 1 − p_y = −expm1(log p_y)
 * with log p_y from a max-shifted logSoftmax, finite at logits of ±1e4. Not the regression L1 loss.
 *
 * @param input logits [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Ghosh, Kumar & Sastry, "Robust Loss Functions under Label Noise for Deep Neural Networks", AAAI 2017;
 *   Ma et al., "Normalized Loss Functions for Deep Learning with Noisy Labels", ICML 2020
 */
export function maeProbLoss(...args: Call<[input: Tensor, target: Tensor], MaeProbOptions>): Tensor {
  const [input, target, { scale, reduction }] = entry.check(args);
  return applyReduction(maeValues(input, target, scale), { reduction });
}

export const entry = defineLoss({
  id: 'mae-prob',
  fn: maeProbLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
