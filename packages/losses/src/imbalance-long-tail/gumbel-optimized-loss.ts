import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  clampMin: opt.number(-4, 'Lower clamp of the logits before the Gumbel activation (official code).'),
  clampMax: opt.number(10, 'Upper clamp of the logits before the Gumbel activation (official code).'),
  reduction: opt.reduction(),
};
export type GumbelOptimizedLossOptions = OptionsOf<typeof options>;

/**
 * Gumbel Optimized Loss: binary cross-entropy with the Gumbel CDF G(z) = exp(−exp(−z)) as activation.
 *
 * z̃ = clamp(z, z_min, z_max); log G = −exp(−z̃); log(1 − G) = log(−expm1(−exp(−z̃))) (exact where G is near
 * 0 or 1); ℓᵢ = −Σ_c [y_c·log G(z̃_c) + (1 − y_c)·log(1 − G(z̃_c))], mean over samples. The clamp makes the
 * loss flat outside [z_min, z_max] (no gradient there), as the official code. Inference probability G(z).
 *
 * @param input logits [N, C]
 * @param target one-hot / multi-hot targets [N, C], or class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Alexandridis et al., "Long-tailed Instance Segmentation using Gumbel Optimized Loss", ECCV 2022
 */
export function gumbelOptimizedLoss(...args: Call<[input: Tensor, target: Tensor], GumbelOptimizedLossOptions>): Tensor {
  const [input, target, { clampMin, clampMax, reduction }] = entry.check(args);
  const y = target.dtype === 'int32' ? target.oneHot(input.shape[1]).cast(input.dtype) : target;
  const e = input.clamp(clampMin, clampMax).neg().exp(); // exp(−z̃): log G = −e
  const logG = e.neg();
  const log1mG = e.neg().expm1().neg().log();
  const values = y.mul(logG).add(y.neg().add(1).mul(log1mG)).sum(-1).neg();
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'gumbel-optimized-loss',
  fn: gumbelOptimizedLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label', or: { shape: ['N', 'C'], dtype: 'float', domain: 'multi-hot' } },
  ],
  options,
  output: 'per-sample',
});
