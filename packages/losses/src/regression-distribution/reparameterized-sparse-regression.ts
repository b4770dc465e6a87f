import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import type { OptionsOf } from '../options.js';

const options = {};
export type ReparameterizedSparseRegressionOptions = OptionsOf<typeof options>;

/**
 * Least squares under a Hadamard reparameterisation, whose gradient descent from a small initialisation is
 * implicitly sparse.
 *
 * β = w⊙w − v⊙v (+ b, an optional dense part); L = (1/(2n))·‖Xβ − y‖². The loss is plain MSE: the content is
 * the parameterisation, which this function applies, and the training (small init scale α for w = v = α·1, b = 0,
 * the step size, early stopping) belongs to the caller's optimiser loop. Reading (level C): β = w² − v² (the
 * ℓ1-like implicit bias) plus a dense additive part b for the ℓ2-like, benign-overfitting component; the exact
 * scales are not in the abstract.
 *
 * @param input design X [n, d]
 * @param target responses y [n]
 * @param w [d] and v [d] the factors of the sparse part
 * @param b optional dense part [d]
 * @returns a scalar
 * @see "Implicit Regularization Leads to Benign Overfitting for Sparse Linear Regression", ICML 2023
 */
export function reparameterizedSparseRegression(...args: Call<[input: Tensor, target: Tensor, w: Tensor, v: Tensor, b?: Tensor | null], ReparameterizedSparseRegressionOptions>): Tensor {
  const [X, y, w, v, b] = entry.check(args);
  const beta0 = w.square().sub(v.square());
  const beta = b ? beta0.add(b) : beta0;
  return X.matmul(beta.unsqueeze(1)).squeeze(1).sub(y).square().sum().div(2 * X.shape[0]);
}

export const entry = defineLoss({
  id: 'reparameterized-sparse-regression',
  fn: reparameterizedSparseRegression,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'w', shape: ['D'], dtype: 'float', domain: 'real' },
    { name: 'v', shape: ['D'], dtype: 'float', domain: 'real' },
    { name: 'b', shape: ['D'], dtype: 'float', domain: 'real', optional: true },
  ],
  options,
  output: 'batch',
  reading: 'β = w⊙w − v⊙v plus an optional dense part b; L = ‖Xβ − y‖²/(2n); initialisation and step size are the training loop\'s.',
});
