import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { sparsemaxThreshold } from '../parts/sparsemax-threshold.js';

const options = {
  reduction: opt.reduction(),
};
export type SparsemaxLossOptions = OptionsOf<typeof options>;

/**
 * Sparsemax loss: the sparsemax analogue of the logistic loss, for one-hot or (normalised multi-hot) label targets.
 *
 * L(z; q) = −q·z + ½ Σ_{j∈S(z)} (zⱼ² − τ(z)²) + ½‖q‖², τ and S the threshold and support of sparsemax. With
 * p = sparsemax(z) = relu(z − τ) and Σp = 1 this is computed as ½‖p‖² − q·(z − τ) + ½‖q‖² + τ(1 − Σq) (the last term
 * vanishes for q on the simplex): the same value without the squares of the logits, so logits of ±1e4 cancel nothing,
 * and with no relu kink on the q terms, so the gradient stays exact when a target class sits on τ.
 * L ≥ 0, with 0 iff sparsemax(z) = q; its gradient is sparsemax(z) − q.
 *
 * @param z scores [N, C]
 * @param target class indices [N] (int32; q is their one-hot), or a distribution q [N, C] (e.g. a multi-hot y / Σy)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Martins & Astudillo, From Softmax to Sparsemax: A Sparse Model of Attention and Multi-Label Classification,
 *   ICML 2016
 */
export function sparsemaxLoss(...args: Call<[z: Tensor, target: Tensor], SparsemaxLossOptions>): Tensor {
  const [z, target, { reduction }] = entry.check(args);
  const q = target.dtype === 'int32' ? target.oneHot(z.shape[1]).cast(z.dtype) : target;
  const tau = sparsemaxThreshold(z, -1);
  // ½‖p‖² − q·(z − τ) + ½‖q‖² + τ(1 − Σq): the loss with no kink but p²'s (C¹), so its gradient is p − q even
  // for a target class sitting exactly on τ. (Split as ½‖p − q‖² + q·relu(τ − z), two kinks at z = τ cancel in
  // the value but not in relu's one-sided gradient.) z − τ keeps logits of ±1e4 free of cancellation.
  const p = z.sub(tau).relu();
  const values = p.square().sum(-1).mul(0.5)
    .sub(q.mul(z.sub(tau)).sum(-1))
    .add(q.square().sum(-1).mul(0.5))
    .add(tau.squeeze(-1).mul(q.sum(-1).neg().add(1)));
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'sparsemax-loss',
  fn: sparsemaxLoss,
  args: [
    { name: 'z', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label', or: { shape: ['N', 'C'], dtype: 'float', domain: 'simplex' } },
  ],
  options,
  output: 'per-sample',
});
