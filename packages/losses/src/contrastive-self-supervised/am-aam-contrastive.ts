import { cat, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { offDiagonal, softmaxContrast } from '../parts/contrastive-infonce.js';
import { cosineSimilarityMatrix } from '../parts/distances.js';

const options = {
  s: opt.number(20, 's = 1/τ: the scale of the cosine logits (20 is τ = 0.05).', '(0, inf)'),
  m: opt.number(0.1, 'm: the margin, subtracted from the positive cosine (AM) or added to its angle in radians (AAM).', '[0, 1.5]'),
  marginType: opt.oneOf(['am', 'aam'] as const, 'am', "'am': cos θ − m (additive margin); 'aam': cos(θ + m) (additive angular margin)."),
  intraView: opt.boolean(false, 'Add the within-view cosines u_i·u_k and v_i·v_k (k ≠ i) as extra negatives.'),
  reduction: opt.reduction(),
};
export type AmAamContrastiveOptions = OptionsOf<typeof options>;

/**
 * Symmetric contrastive loss with an additive (AM) or additive angular (AAM) margin on the positive pair, for
 * self-supervised speaker verification.
 *
 * S = cos(u_i, v_j); positive target t_i = S_ii − m (AM) or cos(θ_ii + m) = S_ii·cos m − √(1 − S_ii²)·sin m (AAM,
 * S_ii clamped to [−1, 1], no acos); ℓ_i = −log(e^{s·t_i} / (e^{s·t_i} + Σ_{j≠i} e^{s·S_ij})) for the u → v anchors,
 * likewise v → u, averaged. `intraView` adds the within-view off-diagonal cosines as negatives. Stable form:
 * max-shifted masked logSoftmax (the InfoNCE core); √ is taken of max(1 − S², 1e-12), so the gradient stays finite
 * at S_ii = ±1.
 *
 * @param input first-view embeddings u [N, D]
 * @param target second-view embeddings v [N, D] (row i pairs with u's row i)
 * @returns a scalar, or [N] with reduction 'none': per pair, the mean of its two anchors' losses
 * @see Lepage & Dehak, "Experimenting with Additive Margins for Contrastive Self-Supervised Speaker Verification",
 *   Interspeech 2023
 */
export function amAamContrastiveLoss(...args: Call<[input: Tensor, target: Tensor], AmAamContrastiveOptions>): Tensor {
  const [input, target, { s, m, marginType, intraView, reduction }] = entry.check(args);
  const n = input.shape[0];
  const cross = cosineSimilarityMatrix(input, target);
  const eye = offDiagonal(n, cross).logicalNot();
  const c = cross.diagonal().clamp(-1, 1);
  const target_ = marginType === 'am' ? c.sub(m) : c.mul(Math.cos(m)).sub(c.square().neg().add(1).clamp(1e-12).sqrt().mul(Math.sin(m)));
  const withMargin = eye.where(target_.diagEmbed(), cross);
  const direction = (sim: Tensor, within: Tensor) => {
    const logits = intraView ? cat([sim, within], 1) : sim;
    const positives = intraView ? cat([eye, eye.logicalAnd(eye.logicalNot())], 1) : eye;
    const candidates = intraView ? cat([eye.logicalOr(eye.logicalNot()), offDiagonal(n, cross)], 1) : null;
    return softmaxContrast(logits.mul(s), positives, { candidates });
  };
  const uu = intraView ? cosineSimilarityMatrix(input, input) : cross;
  const vv = intraView ? cosineSimilarityMatrix(target, target) : cross;
  return applyReduction(direction(withMargin, uu).add(direction(withMargin.T, vv)).mul(0.5), { reduction });
}

export const entry = defineLoss({
  id: 'am-aam-contrastive',
  fn: amAamContrastiveLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'target', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'per-sample',
});
