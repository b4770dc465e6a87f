import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { fiqaLoss } from '../parts/regression-fiqa.js';
import { applyReduction } from '../reduce.js';

const options = {
  marginLoss: opt.oneOf(['arcface', 'cosface'], 'arcface', 'The margin-softmax head on the patch-token embedding: ArcFace (additive angular m) or CosFace (additive cosine m).'),
  m: opt.number(0.5, 'm: the margin (0.5 for ArcFace; CosFace is usually trained with 0.35).', '[0, 3.141592653589793)'),
  s: opt.number(64, 's: the scale.', '(0, inf)'),
  lambda: opt.number(10, 'λ: the weight of the quality-token regression.', '[0, inf)'),
  beta: opt.number(0.5, 'β of the smooth L1 (as CR-FIQA; the catalog does not restate it).', '[0, inf)'),
  eps: opt.number(1e-9, 'Added to NNCCS + 1 in the utility denominator.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type VitFiqaOptions = OptionsOf<typeof options>;

/**
 * ViT-FIQA: a margin-softmax loss on the face embedding plus a regression of the quality token on the sample's
 * utility, ℓ = L_margin(x, y) + λ·SmoothL1_β(q, sg(CR)), CR = cos(x, w_y) / (max_{j≠y} cos(x, w_j) + 1 + eps).
 * Reading: the utility is CR-FIQA's relative classifiability (the catalog's "recalled, verify"); the margin head
 * is ArcFace or CosFace at s = 64; the same construction as cr-fiqa (shared part), with the ViT's quality token as q.
 *
 * @param embeddings patch-token face embedding x [N, D]
 * @param labels identities [N] (int32)
 * @param weight class centres W [C, D]
 * @param quality the quality token's scalar output q [N]
 * @returns the mean over samples; 'sum'; or [N] with reduction 'none'
 * @see Atzori et al., "ViT-FIQA: Assessing Face Image Quality using Vision Transformers", 2025
 */
export function vitFiqaLoss(...args: Call<[embeddings: Tensor, labels: Tensor, weight: Tensor, quality: Tensor], VitFiqaOptions>): Tensor {
  const [embeddings, labels, weight, quality, { marginLoss, m, s, lambda, beta, eps, reduction }] = entry.check(args);
  const margin = marginLoss === 'arcface' ? { m2: m, m3: 0 } : { m2: 0, m3: m };
  return applyReduction(fiqaLoss(embeddings, labels, weight, quality, { s, ...margin, lambda, beta, eps }), { reduction });
}

export const entry = defineLoss({
  id: 'vit-fiqa',
  fn: vitFiqaLoss,
  args: [
    { name: 'embeddings', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'labels', shape: ['N'], dtype: 'int', domain: 'label' },
    { name: 'weight', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'quality', shape: ['N'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
  needsTwoClasses: 'The utility compares the target cosine with the largest other one: it needs a second class.',
  surrogateGradient: 'The utility is a stop-gradient target: no gradient reaches the embeddings or centres through it.',
  reading: "Utility = CR-FIQA's relative classifiability, held constant; margin head ArcFace (or CosFace) at s = 64; smooth L1 with CR-FIQA's β = 0.5.",
});
