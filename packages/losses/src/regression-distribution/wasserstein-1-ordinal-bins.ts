import { type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { binCentres, cdfW1 } from '../parts/regression-bins.js';
import { applyReduction } from '../reduce.js';

const options = {
  binCenters: opt.tensor(['K'], 'Increasing bin centres c [K]; null: 0, 1, …, K − 1 (unit spacing, so W1 = Σ_k |F_p(k) − F_y(k)|; the catalog leaves the centres to the task).'),
  reduction: opt.reduction(),
};
export type Wasserstein1OrdinalBinsOptions = OptionsOf<typeof options>;

/**
 * Wasserstein-1 distance between the predicted distribution over K ordered value bins and the target's.
 *
 * p = softmax(z); F_p = cumsum(p), F_y = cumsum(onehot(y)) = 1[k ≥ y] (or the cumsum of a soft target);
 * W1 = Σ_{k<K} |F_p(k) − F_y(k)|·(c_{k+1} − c_k), the 1-D closed form of the earth mover's distance.
 * Reading: the abstract only says "Wasserstein loss"; the CDF closed form over ordered bins is the standard one.
 *
 * @param input bin logits z [N, K]
 * @param target bin indices y [N] (int32), or a target distribution [N, K]
 * @returns the mean over samples; 'sum'; or [N] with reduction 'none'
 * @see "Fine-Tuning a Time Series Foundation Model with Wasserstein Loss" (the catalog's paper); Hou, Yu & Samaras, "Squared Earth Mover's Distance-based Loss for Training Deep Neural Networks", arXiv:1611.05916
 */
export function wasserstein1OrdinalBinsLoss(...args: Call<[input: Tensor, target: Tensor], Wasserstein1OrdinalBinsOptions>): Tensor {
  const [input, target, { binCenters, reduction }] = entry.check(args);
  const K = input.shape[1];
  const t = target.dtype === 'int32' ? target.oneHot(K).cast(input.dtype) : target;
  const c = binCenters ?? binCentres(input, K, 0, Math.max(K - 1, 0));
  return applyReduction(cdfW1(input.softmax(1), t, c), { reduction });
}

export const entry = defineLoss({
  id: 'wasserstein-1-ordinal-bins',
  fn: wasserstein1OrdinalBinsLoss,
  args: [
    { name: 'input', shape: ['N', 'K'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label', classes: 'K', or: { shape: ['N', 'K'], dtype: 'float', domain: 'simplex' } },
  ],
  options,
  output: 'per-sample',
  reading: 'The 1-D closed form over ordered bins: W1 = Σ_k |CDF_p − CDF_y|·(bin spacing); unit spacing unless binCenters is given.',
});
