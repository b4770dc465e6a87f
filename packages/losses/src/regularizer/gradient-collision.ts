import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  weight: opt.number(1, 'The weight of the collision term beside the target-task CE (not given in the abstract; 1 leaves it unscaled).', '[0, inf)'),
  eps: opt.number(1e-8, 'Floor of each gradient norm in the cosine (PyTorch\'s cosine_similarity eps).', '[0, inf)'),
};
export type GradientCollisionOptions = OptionsOf<typeof options>;

/**
 * Gradient collision loss of disposable transfer learning: drives the source-task gradients of different
 * mini-batches apart, so that the source knowledge becomes hard to recover (selective unlearning).
 *
 * L = w·Σ_{i<j} cos(g_i, g_j), g_i = ∇_θ L_src(batch_i) flattened. The gradients are arguments: compute each with
 * `grad(lossSrc_i, params, { createGraph: true })` and concatenate the flattened pieces into one row, so that this
 * loss's gradient reaches θ by double backpropagation. The cosine clamps each norm at eps (finite for a zero gradient).
 *
 * @param input per-batch gradients g [B, P] (B ≥ 2 mini-batches, P parameters)
 * @returns a scalar
 * @see Koh et al., "Disposable Transfer Learning for Selective Source Task Unlearning", ICCV 2023
 */
export function gradientCollision(...args: Call<[input: Tensor], GradientCollisionOptions>): Tensor {
  const [g, { weight, eps }] = entry.check(args);
  const b = g.shape[0];
  const unit = g.div(g.square().sum(-1, true).clamp(eps * eps).sqrt()); // ‖g‖ floored at eps, as cosine_similarity does
  const cos = unit.matmul(unit.transpose(0, 1)); // [B, B]
  return cos.mul(g.newOnes([b, b]).triu(1)).sum().mul(weight);
}

export const entry = defineLoss({
  id: 'gradient-collision',
  fn: gradientCollision,
  args: [{ name: 'input', shape: ['B', 'P'], dtype: 'float', domain: 'real' }],
  options,
  output: 'batch',
  reading: 'L_GC = Σ_{i<j} cos(g_i, g_j) over the flattened source-task gradients of B mini-batches (cosine as the alignment measure), taken as a [B, P] argument built with createGraph.',
});
