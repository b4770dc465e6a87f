import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  l2Reg: opt.number(0, 'The weight of the ridge term ½·l2Reg·‖x‖² (the paper\'s regularised form; 0: none).', '[0, inf)'),
};
export type SoftmaxRegressionOptions = OptionsOf<typeof options>;

/**
 * Softmax regression: L(x) = ½·‖softmax(Ax) − b‖² (+ ½·l2Reg·‖x‖²), softmax(Ax) = exp(Ax)/⟨exp(Ax), 1⟩ max-shifted.
 *
 * @param A the matrix A [N, D]
 * @param b the target vector b [N]
 * @param x the parameters x [D]
 * @returns a scalar
 * @see Li et al., "The Closeness of In-Context Learning and Weight Shifting for Softmax Regression", 2023, arXiv:2304.13276
 */
export function softmaxRegressionLoss(...args: Call<[A: Tensor, b: Tensor, x: Tensor], SoftmaxRegressionOptions>): Tensor {
  const [A, b, x, { l2Reg }] = entry.check(args);
  const loss = A.matmul(x).softmax(0).sub(b).square().sum().mul(0.5);
  return l2Reg === 0 ? loss : loss.add(x.square().sum().mul(0.5 * l2Reg));
}

export const entry = defineLoss({
  id: 'softmax-regression',
  fn: softmaxRegressionLoss,
  args: [
    { name: 'A', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'b', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'x', shape: ['D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
});
