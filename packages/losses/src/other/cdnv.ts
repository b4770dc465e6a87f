import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import type { OptionsOf } from '../options.js';
import { classMeansAndVariances } from '../parts/other-class-means.js';

const options = {};
export type CdnvOptions = OptionsOf<typeof options>;

/**
 * Class-distance normalised variance (CDNV), the neural-collapse measure of Galanti et al.: the spread of two
 * classes relative to the distance between their means, averaged over pairs of classes.
 *
 * μ_k = mean of class k's features, Var_k = mean_{x∈k} ‖f(x) − μ_k‖²; CDNV(i, j) = (Var_i + Var_j) / (2‖μ_i −
 * μ_j‖²); the result is the mean over ordered pairs i ≠ j of the classes present in the batch. Fewer than two classes
 * present leave no pair: the mean over none is taken as 0. Differentiable in the features (usable as a
 * regulariser); identical class means make it infinite, as the definition says.
 *
 * @param features f [N, D]
 * @param target class indices [N] (int32)
 * @returns a scalar
 * @see Galanti, György & Hutter, "On the Role of Neural Collapse in Transfer Learning", ICLR 2022
 */
export function cdnv(...args: Call<[features: Tensor, target: Tensor], CdnvOptions>): Tensor {
  const [features, target] = entry.check(args);
  const { means, variances } = classMeansAndVariances(features, target);
  const k = means.shape[0];
  if (k < 2) return features.sum().mul(0);
  const dist2 = means.unsqueeze(1).sub(means.unsqueeze(0)).square().sum(-1);
  const offDiag = dist2.newOnes([k, k]).sub(dist2.newOnes([k]).diag()).gt(0);
  const ratio = variances.unsqueeze(1).add(variances.unsqueeze(0)).div(offDiag.where(dist2, 1).mul(2));
  return offDiag.where(ratio, 0).sum().div(k * (k - 1));
}

export const entry = defineLoss({
  id: 'cdnv',
  fn: cdnv,
  args: [
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'batch',
});
