import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { logOneMinusTargetProb } from '../parts/imbalance-ce.js';
import { applyReduction } from '../reduce.js';

const options = {
  gamma: opt.number(2, 'γ: the focusing exponent of (1 − p_t)^γ.', '[0, inf)'),
  alpha: opt.number(0.25, 'α of the sigmoid form: weight α of the positives, 1 − α of the negatives; negative: no weighting. The softmax form ignores it (use weight).', '(-inf, 1]'),
  weight: opt.tensor(['C'], 'Per-class weights α_y of the softmax form [C] (absent: none, the usual classification setting).'),
  reduction: opt.reduction(),
};
export type FocalOptions = OptionsOf<typeof options>;

/**
 * Focal loss, softmax form (class indices) and sigmoid form (binary or soft targets).
 *
 * Softmax: ℓᵢ = −α_y(1 − p_y)^γ·log p_y with log p_y = log_softmax(z)_y and (1 − p_y)^γ =
 * exp(γ·log(1 − p_y)), log(1 − p_y) = logsumexp_{k≠y} z_k − logsumexp_k z_k (finite at logits of ±1e4).
 * Sigmoid (torchvision's form, targets t ∈ [0, 1]): ce = softplus(z) − t·z, q = σ(z),
 * 1 − p_t = q + t(1 − 2q), α_t = α·t + (1 − α)(1 − t), ℓ = α_t(1 − p_t)^γ·ce per element.
 * RetinaNet's normaliser (Σ over anchors ÷ number of positives): reduction 'sum', then divide.
 *
 * @param input logits [N, C] (softmax form) or any [N, ...] (sigmoid form)
 * @param target class indices [N] (int32), or targets in [0, 1] shaped like input
 * @returns a scalar, or [N] (softmax) / input's shape (sigmoid) with reduction 'none'
 * @see Lin et al., "Focal Loss for Dense Object Detection", ICCV 2017
 */
export function focalLoss(...args: Call<[input: Tensor, target: Tensor], FocalOptions>): Tensor {
  const [input, target, { gamma, alpha, weight, reduction }] = entry.check(args);
  if (target.dtype === 'int32') {
    const logPy = input.logSoftmax(-1).gather(-1, target.unsqueeze(-1)).squeeze(-1);
    let values = gamma === 0 ? logPy.neg() : logOneMinusTargetProb(input, target).mul(gamma).exp().mul(logPy).neg();
    if (weight) values = values.mul(weight.indexSelect(0, target));
    return applyReduction(values, { reduction });
  }
  const t = target;
  const q = input.sigmoid();
  const ce = input.softplus().sub(t.mul(input));
  let values = gamma === 0 ? ce : q.add(t.mul(q.mul(-2).add(1))).pow(gamma).mul(ce);
  if (alpha >= 0) values = values.mul(t.mul(2 * alpha - 1).add(1 - alpha));
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'focal',
  fn: focalLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits', or: { shape: ['N', '...'], dtype: 'float', domain: 'logits' } },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label', or: { shape: ['N', '...'], dtype: 'float', domain: 'prob' } },
  ],
  options,
  output: 'per-sample',
});
