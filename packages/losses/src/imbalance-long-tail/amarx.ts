import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  v: opt.number(1, 'v: the enlarged feature variance (the margin scale); the catalog gives no value, 1 is unit variance.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type AmarxOptions = OptionsOf<typeof options>;

/**
 * AMarX: softmax cross-entropy with the pairwise adaptive margin that variance enlarging induces.
 *
 * z = h·Wᵀ; m_k = (v/2)·‖w_k − w_y‖² (m_y = 0); ℓᵢ = logsumexp_k(z_k + m_k) − z_y: the expectation of
 * exp(w_k·(h + e)) over e ~ N(0, v·I), taken inside the softmax relative to the target class. Old
 * classes' features drawn from their stored Gaussians N(μ_c, Σ_c) are rows of h like the new data's.
 *
 * @param features h [N, D] (new data and features sampled for old classes)
 * @param weight linear head W [C, D]
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Yao et al., "Adaptive Margin Global Classifier for Exemplar-Free Class-Incremental Learning", 2024
 */
export function amarxLoss(...args: Call<[features: Tensor, weight: Tensor, target: Tensor], AmarxOptions>): Tensor {
  const [features, weight, target, { v, reduction }] = entry.check(args);
  const z = features.matmul(weight.transpose(0, 1)); // [N, C]
  const wy = weight.indexSelect(0, target); // [N, D]
  const margin = weight.unsqueeze(0).sub(wy.unsqueeze(1)).square().sum(-1).mul(v / 2); // [N, C], 0 at y
  const zy = z.gather(-1, target.unsqueeze(-1)).squeeze(-1);
  return applyReduction(z.add(margin).logsumexp(-1).sub(zy), { reduction });
}

export const entry = defineLoss({
  id: 'amarx',
  fn: amarxLoss,
  args: [
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'weight', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  reading: 'variance enlarging h + e, e ~ N(0, v·I), taken in expectation inside the softmax: CE with margins m_k = (v/2)‖w_k − w_y‖² on the non-target logits; sampling old-class features from their Gaussians is the caller\'s.',
});
