import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  steps: opt.integer(1, 'How many conditioner factors P = 3/2·I − 1/2·VVᵀ are applied (not in the abstract; one step already narrows every singular-value ratio, more steps push all of them towards the largest).', '[0, inf)'),
};
export type WeightConditioningOptions = OptionsOf<typeof options>;

/**
 * Weight conditioning: the effective weight W_eff = P·W of a raw weight W, with a conditioner P that narrows the
 * gap between W's smallest and largest singular values (a better-conditioned matrix, a smoother loss landscape).
 *
 * With s = ‖W‖_F (floored at 1e-12, so W = 0 stays finite) and V = W/s, every singular value of V lies in [0, 1].
 * One step V ← P·V, P = 3/2·I − 1/2·V·Vᵀ (a Newton–Schulz step towards the polar factor), maps each singular value
 * σ to p(σ) = σ·(3 − σ²)/2: p is increasing on [0, 1] and p(σ)/σ decreases, so σ_max/σ_min shrinks while the
 * singular vectors stay. W_eff = s·V keeps the Frobenius scale of W. A weight of more than two dims ([out, in, kh, kw])
 * is conditioned as its [out, rest] matrix. Use W_eff in place of the layer's weight.
 *
 * @param weight raw weights W [O, ...]
 * @returns the conditioned weights, shaped like `weight`
 * @see Saratchandran, Wang & Lucey, "Weight Conditioning for Smooth Optimization of Neural Networks", ECCV 2024, arXiv:2409.03424
 */
export function weightConditioning(...args: Call<[weight: Tensor], WeightConditioningOptions>): Tensor {
  const [weight, { steps }] = entry.check(args);
  const w = weight.reshape([weight.shape[0], -1]);
  const scale = w.square().sum().clamp(1e-24).sqrt();
  let v = w.div(scale);
  for (let i = 0; i < steps; i++) v = v.mul(1.5).sub(v.matmul(v.T).matmul(v).mul(0.5));
  return v.mul(scale).reshape(weight.shape);
}

export const entry = defineLoss({
  id: 'weight-conditioning',
  fn: weightConditioning,
  args: [{ name: 'weight', shape: ['O', '...'], dtype: 'float', domain: 'real' }],
  options,
  output: 'same-as-input',
  reading: 'The paper\'s conditioner is not in the abstract and no released code was found; we take the polynomial conditioner P = 3/2·I − 1/2·VVᵀ on the Frobenius-normalised weight V = W/‖W‖_F (a Newton–Schulz step, σ ↦ σ(3 − σ²)/2, which provably narrows σ_max/σ_min) applied `steps` times, rescaled by ‖W‖_F.',
});
