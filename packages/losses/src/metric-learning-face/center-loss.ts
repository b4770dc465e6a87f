import { noGrad, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { squaredEuclidean } from '../parts/distances.js';
import { targetMask } from '../parts/margin-softmax.js';
import { applyReduction } from '../reduce.js';

const options = {
  lambda: opt.number(0.003, 'λ: the weight of the centre term in CE + λ·L_c (the entry returns λ·L_c; 0.003–0.01).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type CenterLossOptions = OptionsOf<typeof options>;

/**
 * The paper's centre update, outside autograd: Δc_j = Σ_i [y_i = j](c_j − x_i) / (1 + Σ_i [y_i = j]),
 * c_j ← c_j − α·Δc_j (α = center_lr, 0.5). Returns the new centres [C, D]; pass them to the next call.
 */
export function centerLossUpdate(features: Tensor, labels: Tensor, centers: Tensor, alpha = 0.5): Tensor {
  return noGrad(() => {
    const onehot = targetMask(labels, centers.shape[0]).cast(centers.dtype); // [N, C]
    const counts = onehot.sum(0).unsqueeze(1);
    const delta = centers.mul(counts).sub(onehot.T.matmul(features.detach())).div(counts.add(1));
    return centers.detach().sub(delta.mul(alpha));
  });
}

/**
 * Center loss: pulls each feature towards its class centre, added to a softmax loss.
 *
 * ℓ_i = λ·½‖x_i − c_{y_i}‖² (the mean over the batch is the paper's L_c = ½·(1/m)Σ‖x_i − c_{y_i}‖²). The centres
 * are a tensor: learnable (an optimizer updates them), or updated with the paper's rule by centerLossUpdate.
 *
 * @param features [N, D]
 * @param labels class indices [N] (int32)
 * @param centers class centres [C, D]
 * @returns the mean over samples; 'sum'; or the per-sample values [N] with reduction 'none'
 * @see Wen et al., "A Discriminative Feature Learning Approach for Deep Face Recognition", ECCV 2016
 */
export function centerLoss(...args: Call<[features: Tensor, labels: Tensor, centers: Tensor], CenterLossOptions>): Tensor {
  const [features, labels, centers, { lambda, reduction }] = entry.check(args);
  return applyReduction(squaredEuclidean(features, centers.indexSelect(0, labels)).mul(lambda / 2), { reduction });
}

export const entry = defineLoss({
  id: 'center-loss',
  fn: centerLoss,
  args: [
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'labels', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'centers', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
