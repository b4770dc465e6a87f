import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { rceValues } from '../parts/robust-symmetric.js';

const options = {
  A: opt.number(-4, 'A = log 0 after clamping the one-hot target: −4 in the paper, log(1e-4) ≈ −9.21 in the released code.', '(-inf, 0)'),
  reduction: opt.reduction(),
};
export type RceOptions = OptionsOf<typeof options>;

/**
 * Reverse cross-entropy (RCE), the passive term of symmetric cross-entropy.
 *
 * ℓᵢ = −Σ_k p_k·log onehot(y)_k with log 0 := A, i.e. −A·Σ_{k≠y} p_k = −A(1 − p_y). Stable form:
 * 1 − p_y = −expm1(log p_y), log p_y from a max-shifted logSoftmax; finite at logits of ±1e4.
 * Symmetric cross-entropy is α·CE + β·RCE (cross-entropy lives in classification).
 *
 * @param input logits [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Wang et al., "Symmetric Cross Entropy for Robust Learning with Noisy Labels", ICCV 2019; Ma et al.,
 *   "Normalized Loss Functions for Deep Learning with Noisy Labels", ICML 2020
 */
export function rceLoss(...args: Call<[input: Tensor, target: Tensor], RceOptions>): Tensor {
  const [input, target, { A, reduction }] = entry.check(args);
  return applyReduction(rceValues(input, target, A), { reduction });
}

export const entry = defineLoss({
  id: 'rce',
  fn: rceLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
