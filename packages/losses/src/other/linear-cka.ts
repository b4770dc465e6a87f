import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import type { OptionsOf } from '../options.js';

const options = {};
export type LinearCkaOptions = OptionsOf<typeof options>;

/**
 * Linear centred kernel alignment (CKA) between two representations of the same N inputs.
 *
 * X, Y centred over the samples; CKA = ‖YᵀX‖²_F / (‖XᵀX‖_F·‖YᵀY‖_F) ∈ [0, 1], invariant to orthogonal maps
 * and isotropic scaling of either side. A constant representation (zero after centring, e.g. N = 1) has no
 * alignment to measure: its CKA is taken as 0 (the division is guarded, gradient 0 there). Differentiable,
 * so usable as a loss (maximise it, or minimise 1 − CKA).
 *
 * @param x features X [N, D]
 * @param y features Y [N, E] of the same inputs
 * @returns a scalar
 * @see Kornblith et al., "Similarity of Neural Network Representations Revisited", ICML 2019 (the tool of
 *   Kim & Han, "On the Stability-Plasticity Dilemma of Class-Incremental Learning", CVPR 2023)
 */
export function linearCka(...args: Call<[x: Tensor, y: Tensor], LinearCkaOptions>): Tensor {
  const [x, y] = entry.check(args);
  const xc = x.sub(x.mean(0, true));
  const yc = y.sub(y.mean(0, true));
  const num = yc.transpose(0, 1).matmul(xc).square().sum();
  const den2 = xc.transpose(0, 1).matmul(xc).square().sum().mul(yc.transpose(0, 1).matmul(yc).square().sum());
  // Guarded before the square root, so no 0·∞ reaches the backward pass at a constant representation.
  const ok = den2.gt(0);
  return ok.where(num.div(ok.where(den2, 1).sqrt()), 0);
}

export const entry = defineLoss({
  id: 'linear-cka',
  fn: linearCka,
  args: [
    { name: 'x', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'y', shape: ['N', 'E'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
});
