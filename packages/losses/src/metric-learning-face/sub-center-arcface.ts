import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { l2Normalize } from '../parts/distances.js';
import { marginLogits, softmaxCrossEntropy } from '../parts/margin-softmax.js';
import { applyReduction } from '../reduce.js';

const options = {
  s: opt.number(64, 's: the scale of every logit.', '(0, inf)'),
  m: opt.number(0.5, 'm: the additive angular margin on the target class, in radians.', '[0, 3.141592653589793)'),
  easyMargin: opt.boolean(false, "Apply the margin only where cos θ_y > 0; otherwise InsightFace's fallback c − m·sin m past θ_y = π − m."),
  eps: opt.number(1e-7, 'The clamp |cos θ| ≤ 1 − eps under which √(1 − cos²θ) is differentiated (the value is exact).', '(0, 0.1]'),
  reduction: opt.reduction(),
};
export type SubCenterArcFaceOptions = OptionsOf<typeof options>;

/**
 * Sub-center ArcFace: ArcFace on the best of K sub-centres per class.
 *
 * c_j = max_k cos(x, W_{j,k}) (all vectors L2-normalised; the max routes the gradient to the arg-max sub-centre),
 * then ArcFace on c: target s·cos(θ_y + m) (InsightFace's fallback past π − m), others s·c_j, mean CE
 * (max-shifted logsumexp). K (the paper's default 3) is the middle dim of the weight. The post-training cleaning
 * (keep the dominant sub-centre, drop samples beyond 75°, retrain with K = 1) is a data procedure outside the loss.
 *
 * @param embeddings features x [N, D]
 * @param labels class indices [N] (int32)
 * @param weight sub-centre weights W [C, K, D]
 * @returns the mean over samples; 'sum'; or the per-sample losses [N] with reduction 'none'
 * @see Deng et al., "Sub-center ArcFace: Boosting Face Recognition by Large-Scale Noisy Web Faces", ECCV 2020
 */
export function subCenterArcFaceLoss(...args: Call<[embeddings: Tensor, labels: Tensor, weight: Tensor], SubCenterArcFaceOptions>): Tensor {
  const [embeddings, labels, weight, { s, m, easyMargin, eps, reduction }] = entry.check(args);
  const [c, k, d] = weight.shape;
  const cos = l2Normalize(embeddings).matmul(l2Normalize(weight).reshape([c * k, d]).T).reshape([-1, c, k]).amax(2);
  return applyReduction(softmaxCrossEntropy(marginLogits(cos, labels, { s, m2: m, eps, fallback: easyMargin ? 'easy' : 'insightface' }), labels), { reduction });
}

export const entry = defineLoss({
  id: 'sub-center-arcface',
  fn: subCenterArcFaceLoss,
  args: [
    { name: 'embeddings', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'labels', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'weight', shape: ['C', 'K', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
