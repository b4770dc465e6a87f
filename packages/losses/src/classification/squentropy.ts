import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { targetMask } from '../parts/target-log-probs.js';
import { applyReduction } from '../reduce.js';
import { crossEntropy } from './cross-entropy.js';

const options = {
  reduction: opt.reduction(),
};
export type SquentropyOptions = OptionsOf<typeof options>;

/**
 * Squentropy: cross-entropy plus the mean square of the incorrect classes' raw logits.
 *
 * ℓᵢ = CE(zᵢ, yᵢ) + (1/(C − 1))·Σ_{k≠y} z_ik² (the square loss with target 0 on the wrong classes); CE
 * through the max-shifted `crossEntropy`. No hyperparameters.
 *
 * @param input logits z [N, C], C ≥ 2
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Hui, Belkin & Wright, "Cut your Losses with Squentropy", ICML 2023
 */
export function squentropy(...args: Call<[input: Tensor, target: Tensor], SquentropyOptions>): Tensor {
  const [input, target, { reduction }] = entry.check(args);
  const c = input.shape[1];
  const wrong = targetMask(target, c).logicalNot().cast(input.dtype);
  // The mean square over the C − 1 wrong classes; at C = 1 there are none and it is 0 (not 0 / 0).
  const square = input.square().mul(wrong).sum(-1).div(Math.max(c - 1, 1));
  return applyReduction(crossEntropy(input, target, { reduction: 'none' }).add(square), { reduction });
}

export const entry = defineLoss({
  id: 'squentropy',
  fn: squentropy,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
