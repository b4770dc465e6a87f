import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { fiqaLoss } from '../parts/regression-fiqa.js';
import { applyReduction } from '../reduce.js';

const options = {
  lambda: opt.number(10, 'λ: the weight of the quality regression term.', '[0, inf)'),
  beta: opt.number(0.5, 'β of the smooth L1 on the quality (0 gives L1).', '[0, inf)'),
  s: opt.number(64, 's: the ArcFace scale.', '(0, inf)'),
  m: opt.number(0.5, 'm: the ArcFace additive angular margin (radians).', '[0, 3.141592653589793)'),
  eps: opt.number(1e-9, 'Added to NNCCS + 1 in the CR denominator.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type CrFiqaOptions = OptionsOf<typeof options>;

/**
 * CR-FIQA: ArcFace on the embedding plus a regression of the predicted quality on the relative classifiability.
 *
 * c_j = cos(x, w_j); CR = c_y / (max_{j≠y} c_j + 1 + eps), held constant; ℓ = ArcFace(x, y) + λ·SmoothL1_β(q, sg(CR)).
 * ArcFace as the arcface entry (s·cos(θ_y + m) without acos, InsightFace's fallback past θ_y = π − m, max-shifted CE).
 *
 * @param embeddings features x [N, D]
 * @param labels identities [N] (int32)
 * @param weight class centres W [C, D]
 * @param quality predicted quality q [N]
 * @returns the mean over samples; 'sum'; or [N] with reduction 'none'
 * @see Boutros et al., "CR-FIQA: Face Image Quality Assessment by Learning Sample Relative Classifiability", CVPR 2023, arXiv:2112.06592
 */
export function crFiqaLoss(...args: Call<[embeddings: Tensor, labels: Tensor, weight: Tensor, quality: Tensor], CrFiqaOptions>): Tensor {
  const [embeddings, labels, weight, quality, { lambda, beta, s, m, eps, reduction }] = entry.check(args);
  return applyReduction(fiqaLoss(embeddings, labels, weight, quality, { s, m2: m, m3: 0, lambda, beta, eps }), { reduction });
}

export const entry = defineLoss({
  id: 'cr-fiqa',
  fn: crFiqaLoss,
  args: [
    { name: 'embeddings', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'labels', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'weight', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'quality', shape: ['N'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  needsTwoClasses: 'NNCCS is the largest cosine to a class other than the target: it needs a second class.',
  surrogateGradient: 'CR is a stop-gradient target (the paper): no gradient reaches the embeddings or centres through it.',
});
