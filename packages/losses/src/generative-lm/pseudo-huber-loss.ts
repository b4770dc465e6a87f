import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { ictC, pseudoHuber, sampleSquaredNorm } from '../parts/gen-robust-dist.js';
import { applyReduction } from '../reduce.js';

const options = {
  c: opt.number(null, 'c: the transition scale; null: iCT\'s 0.00054·√d, d the elements per sample.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type PseudoHuberLossOptions = OptionsOf<typeof options>;

/**
 * Pseudo-Huber distance between whole samples, the metric of improved consistency training.
 *
 * dᵢ = √(‖xᵢ − yᵢ‖² + c²) − c, the norm over all non-batch elements: ≈ ‖x − y‖²/(2c) near 0, ≈ ‖x − y‖ far away.
 * Stable form: r²/(√(r² + c²) + c), r² = ‖xᵢ − yᵢ‖², with no cancellation when r² ≪ c².
 *
 * @param input prediction x [N, ...]
 * @param target target y [N, ...]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Song & Dhariwal, "Improved Techniques for Training Consistency Models", ICLR 2024, arXiv:2310.14189
 */
export function pseudoHuberLoss(...args: Call<[input: Tensor, target: Tensor], PseudoHuberLossOptions>): Tensor {
  const [input, target, { c, reduction }] = entry.check(args);
  return applyReduction(pseudoHuber(sampleSquaredNorm(input, target), c ?? ictC(input)), { reduction });
}

export const entry = defineLoss({
  id: 'pseudo-huber-loss',
  fn: pseudoHuberLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
