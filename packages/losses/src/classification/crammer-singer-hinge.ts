import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { targetMask } from '../parts/target-log-probs.js';
import { applyReduction } from '../reduce.js';

const options = {
  margin: opt.number(1, 'c: the margin demanded between the target\'s score and every other class\'s.', '(-inf, inf)'),
  reduction: opt.reduction(),
};
export type CrammerSingerHingeOptions = OptionsOf<typeof options>;

/**
 * Crammer–Singer multiclass hinge loss: ℓᵢ = max_k (c·1[k ≠ y] + z_k − z_y) = max(0, max_{k≠y}(c + z_k − z_y)).
 *
 * The k = y term is 0, so ℓ ≥ 0 with no separate clamp. The max is differentiable almost everywhere
 * (tied maximisers share the gradient, as PyTorch's amax). It is the λ → 0 limit of the LDR-KL loss.
 *
 * @param input scores [N, C]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zhu, Ying & Yang, "Label Distributionally Robust Losses for Multi-class Classification:
 *   Consistency, Robustness and Adaptivity", ICML 2023 (Crammer & Singer, JMLR 2001)
 */
export function crammerSingerHingeLoss(...args: Call<[input: Tensor, target: Tensor], CrammerSingerHingeOptions>): Tensor {
  const [input, target, { margin, reduction }] = entry.check(args);
  const zy = input.gather(-1, target.unsqueeze(-1));
  const others = targetMask(target, input.shape[1]).logicalNot().cast(input.dtype);
  return applyReduction(input.sub(zy).add(others.mul(margin)).amax(-1), { reduction });
}

export const entry = defineLoss({
  id: 'crammer-singer-hinge',
  fn: crammerSingerHingeLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
