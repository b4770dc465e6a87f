import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { diagonalCrossEntropy } from '../parts/contrastive-infonce.js';
import { safeSqrt } from '../parts/distances.js';

const options = {
  lambdaGp: opt.number(10, 'λ: the weight of the gradient penalty (λ·(‖∇f‖ − 1)², WGAN-GP\'s 10).', '[0, inf)'),
};
export type WassersteinDependencyMeasureOptions = OptionsOf<typeof options>;

/**
 * Wasserstein predictive coding: the CPC / InfoNCE objective on a Lipschitz-constrained critic, the practical
 * estimator of the Wasserstein dependency measure sup_{‖f‖_L ≤ 1} E_{p(x,y)} f − E_{p(x)p(y)} f.
 *
 * L = mean_i (logsumexp_j f(x_i, y_j) − f(x_i, y_i)) + λ·mean_m (‖∇f_m‖₂ − 1)². Stable form: max-shifted
 * logSoftmax over each row. The Lipschitz constraint is a gradient penalty on `criticGrad`, the critic's gradients
 * at (interpolated) inputs, computed by the caller with `grad(f.sum(), inputs, { createGraph: true })` so the
 * penalty is differentiable (double backward); without it the constraint is left to spectral normalisation of
 * the critic's layers.
 *
 * @param input critic scores f(x_i, y_j) [N, N] (the diagonal on joint pairs)
 * @param criticGrad the critic's input gradients [M, D] (optional)
 * @returns a scalar
 * @see Ozair et al., "Wasserstein Dependency Measure for Representation Learning", NeurIPS 2019
 */
export function wassersteinDependencyMeasureLoss(...args: Call<[input: Tensor, criticGrad?: Tensor], WassersteinDependencyMeasureOptions>): Tensor {
  const [input, criticGrad, { lambdaGp }] = entry.check(args);
  const nce = diagonalCrossEntropy(input).mean();
  if (!criticGrad) return nce;
  return nce.add(safeSqrt(criticGrad.square().sum(-1)).sub(1).square().mean().mul(lambdaGp));
}

export const entry = defineLoss({
  id: 'wasserstein-dependency-measure',
  fn: wassersteinDependencyMeasureLoss,
  args: [
    { name: 'input', shape: ['N', 'N'], dtype: 'float', domain: 'real' },
    { name: 'criticGrad', shape: ['M', 'D'], dtype: 'float', domain: 'real', optional: true },
  ],
  options,
  output: 'batch',
  reading: 'InfoNCE on the critic scores plus a WGAN-GP gradient penalty on gradients the caller computes (double backward); spectral normalisation is the other option and lives in the critic.',
});
