import { cat, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { offDiagonal, softmaxContrast } from '../parts/contrastive-infonce.js';

const options = {
  a: opt.number(0.5, 'α: the soft weights lie in [0, α] (2α·σ(−τ_I·D)).', '[0, 1]'),
  tauI: opt.number(1, 'τ_I: the sharpness of the soft assignment over series distances; the paper tunes it per dataset, 1 is a neutral default for distances normalised to about [0, 1].', '[0, inf)'),
  reduction: opt.reduction(),
};
export type SoftcltInstanceOptions = OptionsOf<typeof options>;

/**
 * SoftCLT's soft instance-wise contrastive loss (time series): the other series of the batch are soft positives,
 * weighted by how close the raw series are.
 *
 * At each timestamp t, p((i,t),(j,t)) = softmax_{j ≠ i}(r_it·r_jt) over the 2N series; w_I(i, j) = 2α·σ(−τ_I·D(i mod N,
 * j mod N)); ℓ(i, t) = −log p((i,t),(i±N,t)) − Σ_{j ∉ {i, i±N}} w_I(i, j)·log p((i,t),(j,t)); mean over the 2N
 * anchors and T timestamps. Stable form: the self-similarity is −∞ in a max-shifted logSoftmax (the InfoNCE core
 * with soft weights, unnormalised). The hierarchical form (TS2Vec's max-pooling over time) calls this per scale.
 *
 * @param input representations r [2, N, T, D] of the two augmented views (series i and i + N of the 2N)
 * @param distances precomputed distances D [N, N] between the raw series (DTW, Euclidean or TAM; non-negative)
 * @returns a scalar, or [N] with reduction 'none' (per series, the mean over its two views and the T timestamps)
 * @see Lee et al., "Soft Contrastive Learning for Time Series", ICLR 2024
 */
export function softcltInstanceLoss(...args: Call<[input: Tensor, distances: Tensor], SoftcltInstanceOptions>): Tensor {
  const [input, distances, { a, tauI, reduction }] = entry.check(args);
  const [, n, t, d] = input.shape;
  const m = 2 * n;
  const r = input.reshape([m, t, d]).transpose(0, 1); // [T, 2N, D]
  const w0 = distances.mul(-tauI).sigmoid().mul(2 * a);
  const w = cat([cat([w0, w0], 1), cat([w0, w0], 1)], 0); // [2N, 2N], indexed mod N
  const eye = offDiagonal(n, input).logicalNot();
  const other = cat([cat([eye.logicalAnd(eye.logicalNot()), eye], 1), cat([eye, eye.logicalAnd(eye.logicalNot())], 1)], 0);
  const off = offDiagonal(m, input);
  const weights = other.where(1, off.where(w, 0));
  const per = softmaxContrast(r.matmul(r.transpose(1, 2)), weights.expand([r.shape[0], m, m]), { candidates: off.expand([r.shape[0], m, m]), normalize: false });
  const byAnchor = per.mean(0); // [2N]
  return applyReduction(byAnchor.narrow(0, 0, n).add(byAnchor.narrow(0, n, n)).mul(0.5), { reduction });
}

export const entry = defineLoss({
  id: 'softclt-instance',
  fn: softcltInstanceLoss,
  args: [
    { name: 'input', shape: [2, 'N', 'T', 'D'], dtype: 'float', domain: 'real' },
    { name: 'distances', shape: ['N', 'N'], dtype: 'float', domain: 'nonneg' },
  ],
  options,
  output: 'per-sample',
  batchDim: 1,
  reading: 'The catalog\'s form at one scale: hard positive (the other view) with weight 1, every other series j with weight 2α·σ(−τ_I·D), the self-pair excluded; the hierarchical max-pooling is the caller\'s.',
});
