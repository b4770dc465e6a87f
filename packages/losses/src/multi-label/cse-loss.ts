import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { countsOrUniform, effectiveNumberWeights } from '../parts/class-stats.js';
import { applyReduction } from '../reduce.js';

const options = {
  classCounts: opt.tensor(['C'], 'Training positive counts per class n [C] (> 0); absent: uniform (equal margins and weights).'),
  marginScale: opt.number(0.5, 'The largest margin (rarest class): m_c = marginScale·(n_min/n_c)^{1/4}; the catalog gives no value.', '[0, 1]'),
  beta: opt.number(0.9999, 'β of the class-balanced weights w_c (0: no re-weighting).', '[0, 1)'),
  reduction: opt.reduction(),
};
export type CseLossOptions = OptionsOf<typeof options>;

/**
 * Class-specific embedding (CSE) loss with class-aware soft margins, between image embeddings and
 * per-class text (prompt) embeddings.
 *
 * s_c = cos(f, t_c); m_c = marginScale·(n_min/n_c)^{1/4} (larger for tail classes, LDAM's profile);
 * w_c = class-balanced weights (1 − β)/(1 − β^{n_c}) normalised to sum C; ℓᵢ = Σ_c w_c·[y_c(1 − s_c) +
 * (1 − y_c)·relu(s_c − m_c)], mean over the batch.
 *
 * @param features image embeddings f [N, D]
 * @param classEmbeddings per-class text embeddings t [C, D]
 * @param target multi-hot labels y [N, C]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Xia et al., "LMPT: Prompt Tuning with Class-Specific Embedding Loss for Long-tailed Multi-Label Visual Recognition", 2023
 */
export function cseLoss(...args: Call<[features: Tensor, classEmbeddings: Tensor, target: Tensor], CseLossOptions>): Tensor {
  const [features, classEmbeddings, target, { classCounts, marginScale, beta, reduction }] = entry.check(args);
  const c = classEmbeddings.shape[0];
  const n = countsOrUniform('cseLoss', classCounts, features, c);
  const inv = n.pow(-0.25);
  const m = inv.mul(marginScale).div(inv.amax());
  const w = effectiveNumberWeights(n, beta);
  const unit = (x: Tensor) => x.div(x.norm(2, -1, true).clamp(1e-12));
  const sim = unit(features).matmul(unit(classEmbeddings).transpose(0, 1)); // [N, C]
  const y = target.cast(features.dtype);
  const terms = y.mul(sim.neg().add(1)).add(y.neg().add(1).mul(sim.sub(m).relu()));
  return applyReduction(terms.mul(w).sum(-1), { reduction });
}

export const entry = defineLoss({
  id: 'cse-loss',
  fn: cseLoss,
  args: [
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'classEmbeddings', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'C'], dtype: 'float', domain: 'multi-hot' },
  ],
  options,
  output: 'per-sample',
  reading: 'cosine similarity to each class embedding: positives pulled to 1, negatives hinged at a class margin m_c ∝ n_c^{−1/4} (max marginScale), terms weighted by class-balanced weights; mean over the batch.',
});
