import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { arange } from '@graft/core';
import { softmaxCrossEntropy } from '../parts/margin-softmax.js';
import { applyReduction } from '../reduce.js';

const options = {
  l2Reg: opt.number(0.002, 'λ: the weight of the squared embedding norms ‖f_i‖² + ‖f_i⁺‖².', '[0, inf)'),
  reduction: opt.reduction(),
};
export type NPairOptions = OptionsOf<typeof options>;

/**
 * Multi-class N-pair loss: each anchor against its own positive and the other rows' positives.
 *
 * S = f·f⁺ᵀ (unnormalised dot products); ℓ_i = lse_j(S_ij) − S_ii + λ(‖f_i‖² + ‖f_i⁺‖²) (max-shifted; the mean
 * over i is CE over rows with the diagonal as target plus λ·mean of the squared norms, Sohn 2016).
 *
 * @param anchors f [N, D], one per class
 * @param positives f⁺ [N, D], row i of the class of anchor i
 * @returns the mean over anchors; 'sum'; or the per-anchor losses [N] with reduction 'none'
 * @see Sohn, "Improved Deep Metric Learning with Multi-class N-pair Loss Objective", NeurIPS 2016
 */
export function nPairLoss(...args: Call<[anchors: Tensor, positives: Tensor], NPairOptions>): Tensor {
  const [f, fp, { l2Reg, reduction }] = entry.check(args);
  const diag = arange(0, f.shape[0], 1, { dtype: 'int32', backend: f.backendName });
  const reg = f.square().sum(1).add(fp.square().sum(1)).mul(l2Reg);
  return applyReduction(softmaxCrossEntropy(f.matmul(fp.T), diag).add(reg), { reduction });
}

export const entry = defineLoss({
  id: 'n-pair',
  fn: nPairLoss,
  args: [
    { name: 'anchors', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'positives', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
