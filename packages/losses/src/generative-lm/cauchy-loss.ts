import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cauchy, sampleSquaredNorm } from '../parts/gen-robust-dist.js';
import { applyReduction } from '../reduce.js';

const options = {
  c: opt.number(1, "c: the scale. sLCT adapts it during training (its scaling-c scheduler, a training procedure that passes the current value); 1 is Barron's unit scale, a neutral default.", '(0, inf)'),
  reduction: opt.reduction(),
};
export type CauchyLossOptions = OptionsOf<typeof options>;

/**
 * Cauchy (Lorentzian) distance between whole samples, sLCT's robust replacement for pseudo-Huber.
 *
 * dᵢ = log(1 + ‖xᵢ − yᵢ‖²/(2c²)) = log1p(r²/(2c²)) (Barron's α = 0 member), the norm over all non-batch
 * elements; log1p keeps it exact for r² ≪ c². The 2c² convention is Barron's; pass c/√2 for the c² one.
 *
 * @param input prediction x [N, ...]
 * @param target target y [N, ...]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Dao et al., "Improved Training Technique for Latent Consistency Models", ICLR 2025;
 *   Barron, "A General and Adaptive Robust Loss Function", CVPR 2019
 */
export function cauchyLoss(...args: Call<[input: Tensor, target: Tensor], CauchyLossOptions>): Tensor {
  const [input, target, { c, reduction }] = entry.check(args);
  return applyReduction(cauchy(sampleSquaredNorm(input, target), c), { reduction });
}

export const entry = defineLoss({
  id: 'cauchy-loss',
  fn: cauchyLoss,
  args: [
    { name: 'input', shape: ['N', '...'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', '...'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
