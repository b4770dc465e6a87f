import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { l2Normalize } from '../parts/distances.js';

const options = {
  tPos: opt.number(1, 't⁺: how strongly the attraction weights favour far positives (softmax of t⁺·c).', '[0, inf)'),
  tNeg: opt.number(2, 't⁻: how strongly the repulsion weights favour close negatives (softmax of −t⁻·c).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type CacrOptions = OptionsOf<typeof options>;

/**
 * CACR: contrastive attraction of a query's positives and contrastive repulsion of its negatives, each a
 * softmax-weighted average of squared distances on the sphere.
 *
 * c(u, v) = ‖u − v‖² on L2-normalised vectors; w⁺ = softmax_m(t⁺·c(q, k⁺_m)), L_CA = Σ_m w⁺_m·c(q, k⁺_m);
 * w⁻ = softmax_k(−t⁻·c(q, k⁻_k)), L_CR = −Σ_k w⁻_k·c(q, k⁻_k); ℓ_q = L_CA + L_CR. Stable form: max-shifted softmaxes
 * (c ∈ [0, 4]). The weights are part of the graph (not detached); the MoCo-style negative queue is the caller's
 * (infonce's KeyQueue), passed per query here.
 *
 * @param query queries q [N, D]
 * @param positives M positive views per query [N, M, D] (M = 2 in the paper)
 * @param negatives K negatives per query [N, K, D]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zheng et al., "Contrastive Attraction and Contrastive Repulsion for Representation Learning", TMLR 2023
 */
export function cacrLoss(...args: Call<[query: Tensor, positives: Tensor, negatives: Tensor], CacrOptions>): Tensor {
  const [query, positives, negatives, { tPos, tNeg, reduction }] = entry.check(args);
  const q = l2Normalize(query).unsqueeze(1);
  const cPos = l2Normalize(positives).sub(q).square().sum(-1);
  const cNeg = l2Normalize(negatives).sub(q).square().sum(-1);
  const attract = cPos.mul(tPos).softmax(-1).mul(cPos).sum(-1);
  const repel = cNeg.mul(-tNeg).softmax(-1).mul(cNeg).sum(-1);
  return applyReduction(attract.sub(repel), { reduction });
}

export const entry = defineLoss({
  id: 'cacr',
  fn: cacrLoss,
  args: [
    { name: 'query', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'positives', shape: ['N', 'M', 'D'], dtype: 'float', domain: 'real' },
    { name: 'negatives', shape: ['N', 'K', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  reading: 'The catalog\'s recalled form with t⁺ = 1, t⁻ = 2 and the weights left in the graph (the row flags whether the authors detach them as unverified).',
});
