import { bernoulli, ShapeError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  M: opt.integer(8, 'M: the number of dropout samples sharing the head.', '[1, inf)'),
  p: opt.number(0.5, 'p: the drop probability of each feature.', '[0, 1)'),
  masks: opt.tensor(['...'], 'Keep masks [M, N, D] (1 keeps a feature) for a deterministic call; drawn from `generator` otherwise.', 'any'),
  generator: opt.generator(),
  reduction: opt.reduction(),
};
export type MultiSampleDropoutOptions = OptionsOf<typeof options>;

/**
 * Multi-sample dropout: the cross-entropy averaged over M independent dropout masks of the features,
 * each passed through the same classifier head.
 *
 * ℓᵢ = (1/M)·Σ_m CE(W·(m_m ⊙ hᵢ)/(1 − p) + b, yᵢ), m_m ~ Bernoulli(1 − p)^D (inverted dropout, PyTorch's
 * scaling). Each CE is the max-shifted logsumexp form. The masks come from `generator` (seeded), or are given
 * as `masks` to make a call deterministic.
 *
 * @param features the features before dropout h [N, D]
 * @param weight the shared head W [C, D]
 * @param target class indices [N] (int32)
 * @param bias the head's bias b [C] (optional)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Inoue, "Multi-Sample Dropout for Accelerated Training and Better Generalization", 2019 (arXiv:1905.09788)
 */
export function multiSampleDropout(...args: Call<[features: Tensor, weight: Tensor, target: Tensor, bias?: Tensor], MultiSampleDropoutOptions>): Tensor {
  const [features, weight, target, bias, { M, p, masks, generator, reduction }] = entry.check(args);
  const [n, d] = features.shape;
  if (masks && (masks.ndim !== 3 || masks.shape[0] !== M || masks.shape[1] !== n || masks.shape[2] !== d)) {
    throw new ShapeError('multiSampleDropout', `option 'masks': expected shape [M=${M}, N=${n}, D=${d}], got [${masks.shape.join(', ')}]`);
  }
  const keep = (masks ?? bernoulli(features.newFull([M, n, d], 1 - p), { generator })).cast(features.dtype);
  const dropped = features.unsqueeze(0).mul(keep).div(1 - p);
  let logits = dropped.matmul(weight.transpose(0, 1));
  if (bias) logits = logits.add(bias);
  const nll = logits.logSoftmax(-1).gather(-1, target.reshape([1, n, 1]).expand([M, n, 1])).squeeze(-1).neg();
  return applyReduction(nll.mean(0), { reduction });
}

export const entry = defineLoss({
  id: 'multi-sample-dropout',
  fn: multiSampleDropout,
  args: [
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'weight', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'bias', shape: ['C'], dtype: 'float', domain: 'real', optional: true },
  ],
  options,
  output: 'per-sample',
  stochastic: true,
});
