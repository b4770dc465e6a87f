import { beta, type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { euclidean, l2Normalize } from '../parts/distances.js';

const options = {
  lambda: opt.number(null, 'λ: the mixing factor of the positive, x_mix = λ·x_p + (1 − λ)·x_n (null: one draw from Beta(α, α) per call, as the authors do).', '[0, 1]'),
  alpha: opt.number(2, 'α of the Beta(α, α) λ is drawn from (the authors\' 2).', '(0, inf)'),
  w: opt.number(0.4, 'w: the weight of the mixed loss beside the clean one (null in the catalog; the authors\' code uses 0.4 for embedding mixup).', '[0, inf)'),
  posMargin: opt.number(0, 'The positive margin of the contrastive base loss: relu(d − m_pos) (the authors\' 0).', '[0, inf)'),
  negMargin: opt.number(0.5, 'The negative margin of the contrastive base loss: relu(m_neg − d) (the authors\' 0.5).', '[0, inf)'),
  generator: opt.generator(),
};
export type MetrixOptions = OptionsOf<typeof options>;

/** Mean over the strictly positive entries, 0 when there are none (pytorch-metric-learning's AvgNonZeroReducer). */
const avgNonZero = (v: Tensor): Tensor => v.sum().div(v.gt(0).cast(v.dtype).sum().clamp(1));

/**
 * Metrix (Metric Mix): mixup for deep metric learning, on the contrastive loss at the embedding level.
 *
 * Clean: over all pairs of the batch, L_clean = avg⁺_{(a,p)} relu(d(a, p) − m_pos) + avg⁺_{(a,n)} relu(m_neg − d(a, n)),
 * d the Euclidean distance of L2-normalised embeddings and avg⁺ the mean over the non-zero terms. Mixed: for every
 * anchor a, positive p (same label, p ≠ a) and negative n of a, x_mix = λ·x_p + (1 − λ)·x_n is a positive of weight λ
 * and a negative of weight 1 − λ: L_mix = avg⁺ λ·relu(d(a, x_mix) − m_pos) + avg⁺ (1 − λ)·relu(m_neg − d(a, x_mix)).
 * L = L_clean + w·L_mix. Distances go through a square root with gradient 0 at 0. The pair enumeration reads the labels
 * on the host; the gradient flows through gathers of the embeddings.
 *
 * Follows the authors' released code (mixup/losses.py loss_posneg_mixup with train embed_metrix_contrastive).
 *
 * @param embeddings embeddings x [N, D]
 * @param labels class labels [N] (int32)
 * @returns a scalar
 * @see Venkataramanan et al., "It Takes Two to Tango: Mixup for Deep Metric Learning", ICLR 2022, arXiv:2106.04990
 */
export function metrixLoss(...args: Call<[embeddings: Tensor, labels: Tensor], MetrixOptions>): Tensor {
  const [x, labels, { lambda, alpha, w, posMargin, negMargin, generator }] = entry.check(args);
  const lam = lambda ?? beta(alpha, alpha, [], { generator }).item();
  const y = labels.data(), n = x.shape[0];
  const pa: number[] = [], pp: number[] = [], na: number[] = [], nn: number[] = [];
  const ta: number[] = [], tp: number[] = [], tn: number[] = [];
  for (let a = 0; a < n; a++) {
    for (let j = 0; j < n; j++) {
      if (j === a) continue;
      if (y[j] === y[a]) { pa.push(a); pp.push(j); } else { na.push(a); nn.push(j); }
    }
    for (let p = 0; p < n; p++) {
      if (p === a || y[p] !== y[a]) continue;
      for (let q = 0; q < n; q++) if (y[q] !== y[a]) { ta.push(a); tp.push(p); tn.push(q); }
    }
  }
  const u = l2Normalize(x);
  const rows = (t: Tensor, ix: number[]) => t.indexSelect(0, tensor(ix, { dtype: 'int32', backend: x.backendName }));
  let loss = x.sum().mul(0);
  if (pa.length) loss = loss.add(avgNonZero(euclidean(rows(u, pa), rows(u, pp)).sub(posMargin).relu()));
  if (na.length) loss = loss.add(avgNonZero(euclidean(rows(u, na), rows(u, nn)).neg().add(negMargin).relu()));
  if (ta.length && w > 0) {
    const mixed = l2Normalize(rows(x, tp).mul(lam).add(rows(x, tn).mul(1 - lam)));
    const d = euclidean(rows(u, ta), mixed);
    const mix = avgNonZero(d.sub(posMargin).relu().mul(lam)).add(avgNonZero(d.neg().add(negMargin).relu().mul(1 - lam)));
    loss = loss.add(mix.mul(w));
  }
  return loss;
}

export const entry = defineLoss({
  id: 'metrix',
  fn: metrixLoss,
  args: [
    { name: 'embeddings', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'labels', shape: ['N'], dtype: 'int', domain: 'real' },
  ],
  options,
  output: 'batch',
  stochastic: true,
  reading: 'The contrastive instance of Metrix at the embedding level, as in the authors\' code: positive–negative mixing for every anchor with a positive, all (a, p, n) triplets of the batch (their code reuses the first positive of each anchor), one λ per call (an option, or a Beta(α, α) draw), AvgNonZero reduction and w = 0.4; input- and feature-level mixing need the network, so the caller mixes there and this base loss does not cover it.',
});
