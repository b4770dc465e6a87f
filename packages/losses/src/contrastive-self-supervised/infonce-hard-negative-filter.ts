import { cat, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { offDiagonal, softmaxContrast } from '../parts/contrastive-infonce.js';
import { l2Normalize } from '../parts/distances.js';

const options = {
  tau: opt.number(0.02, 'τ: the temperature (text embeddings: 0.02–0.05).', '(0, inf)'),
  rho: opt.number(0.95, 'ρ: keep a mined negative only if sim(q, n) < ρ·sim(q, p) (NV-Retriever\'s TopK-PercPos).', '[0, inf)'),
  margin: opt.number(null, 'm: when given, keep a mined negative only if sim(q, n) < sim(q, p) − m instead of the ρ rule (the report describes the margin rule only qualitatively, so the default is the ρ rule).', '[0, inf)'),
  inBatch: opt.boolean(true, 'Add the other queries\' positives as in-batch negatives (never filtered).'),
  reduction: opt.reduction(),
};
export type InfonceHardNegativeFilterOptions = OptionsOf<typeof options>;

/**
 * InfoNCE with false-negative filtering of mined hard negatives (retrieval embeddings).
 *
 * s = cosine similarity; mined negative k is kept iff s(q, n_k) < ρ·s(q, p) (or < s(q, p) − m);
 * ℓ_q = −log(e^{s(q,p)/τ} / (e^{s(q,p)/τ} + Σ_{kept k} e^{s(q,n_k)/τ} + Σ_{j≠q} e^{s(q,p_j)/τ})). Stable form: the
 * dropped candidates are −∞ in a max-shifted masked logSoftmax. The filter is a selection on detached similarities:
 * no gradient flows through the threshold.
 *
 * @param query queries q [N, D]
 * @param positive positive documents p [N, D]
 * @param negatives mined negatives n [N, K, D]
 * @returns a scalar, or [N] with reduction 'none'
 * @see "LG-ANNA-Embedding technical report", 2025; Moreira et al., "NV-Retriever: Improving text embedding models
 *   with effective hard-negative mining", 2024
 */
export function infonceHardNegativeFilterLoss(...args: Call<[query: Tensor, positive: Tensor, negatives: Tensor], InfonceHardNegativeFilterOptions>): Tensor {
  const [query, positive, negatives, { tau, rho, margin, inBatch, reduction }] = entry.check(args);
  const q = l2Normalize(query);
  const p = l2Normalize(positive);
  const n = q.shape[0];
  const pos = q.mul(p).sum(-1, true);
  const neg = l2Normalize(negatives).matmul(q.unsqueeze(-1)).squeeze(-1);
  const bound = margin === null ? pos.detach().mul(rho) : pos.detach().sub(margin);
  const keep = neg.detach().lt(bound);
  const logits = cat(inBatch ? [pos, neg, q.matmul(p.T)] : [pos, neg], 1).div(tau);
  const width = logits.shape[1];
  const first = q.newOnes([n, 1]).gt(0);
  const candidates = cat(inBatch ? [first, keep, offDiagonal(n, q)] : [first, keep], 1);
  const positives = cat([first, q.newZeros([n, width - 1]).gt(0)], 1);
  return applyReduction(softmaxContrast(logits, positives, { candidates }), { reduction });
}

export const entry = defineLoss({
  id: 'infonce-hard-negative-filter',
  fn: infonceHardNegativeFilterLoss,
  args: [
    { name: 'query', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'positive', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'negatives', shape: ['N', 'K', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  reading: 'Cosine similarities; the ρ rule (keep n if s(q, n) < ρ·s(q, p)) by default, the margin rule when `margin` is given; in-batch negatives are the other queries\' positives, unfiltered.',
});
