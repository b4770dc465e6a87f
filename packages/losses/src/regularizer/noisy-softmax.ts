import { randn, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  alpha: opt.number(0.1, 'α: the noise amplitude (anneal it toward 0 over training; 0 is the plain softmax loss).', '[0, inf)'),
  sigma: opt.number(1, 'σ: the standard deviation of ξ ~ N(0, σ²).', '[0, inf)'),
  noise: opt.tensor(['N'], 'Standard-normal draws z [N] (ξ = σz) for a deterministic call; drawn from `generator` otherwise.'),
  generator: opt.generator(),
  reduction: opt.reduction(),
};
export type NoisySoftmaxOptions = OptionsOf<typeof options>;

/**
 * Noisy Softmax: the softmax cross-entropy with the target logit lowered by noise proportional to its
 * norm product, which postpones the early saturation of the softmax.
 *
 * f_j = W_j·x = ‖W_j‖‖x‖cos θ_j; the target logit becomes f_y − α‖W_y‖‖x‖·|ξ|, ξ ~ N(0, σ²) per sample per
 * step; ℓ = CE over the noisy logits (max-shifted logsumexp). The noise anneals as the caller decays α; at test
 * time use the plain logits W·x. ξ comes from `generator` (seeded) or `noise`.
 *
 * @param features x [N, D]
 * @param weight the classifier W [C, D] (no bias, as in the paper)
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Chen, Deng & Du, "Noisy Softmax: Improving the Generalization Ability of DCNN via Postponing the Early Softmax
 *   Saturation", CVPR 2017
 */
export function noisySoftmax(...args: Call<[features: Tensor, weight: Tensor, target: Tensor], NoisySoftmaxOptions>): Tensor {
  const [features, weight, target, { alpha, sigma, noise, generator, reduction }] = entry.check(args);
  const n = features.shape[0];
  const z = noise ?? randn([n], { generator, dtype: features.dtype, backend: features.backendName });
  const logits = features.matmul(weight.transpose(0, 1));
  const wNorm = weight.indexSelect(0, target).square().sum(-1).sqrt();
  const xNorm = features.square().sum(-1).sqrt();
  const drop = wNorm.mul(xNorm).mul(z.mul(sigma).abs()).mul(alpha);
  const noisy = logits.sub(target.oneHot(weight.shape[0]).cast(logits.dtype).mul(drop.unsqueeze(-1)));
  const nll = noisy.logSoftmax(-1).gather(-1, target.unsqueeze(-1)).squeeze(-1).neg();
  return applyReduction(nll, { reduction });
}

export const entry = defineLoss({
  id: 'noisy-softmax',
  fn: noisySoftmax,
  args: [
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'weight', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  stochastic: true,
  reading: 'The target logit f_y is replaced by f_y − α‖W_y‖‖x‖|ξ|, ξ ~ N(0, σ²) per sample per step, α = 0.1, σ = 1 (the catalog\'s recalled defaults); annealing is the caller decaying α.',
});
