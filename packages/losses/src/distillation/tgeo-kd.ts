import { concat, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { hardCrossEntropy, temperedKl } from '../parts/distill-kl.js';

const options = {
  tau: opt.number(4, 'τ: the temperature of the KD term.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type TgeoKdOptions = OptionsOf<typeof options>;

/**
 * TGeo-KD: KD and cross-entropy fused per sample with a learned ratio αᵢ.
 *
 * ℓᵢ = αᵢ·τ²·KL(softmax(sg(t)/τ) ‖ softmax(s/τ)) + (1 − αᵢ)·CE(s, yᵢ). In the paper αᵢ = σ(MLP(features of the
 * student–teacher–ground-truth triangle and of the teacher's class-mean prediction)), the MLP trained bilevel on a
 * held-out loss: that network and its training are the caller's; αᵢ enters here as an input that receives
 * gradient. The KD term is kd-kl's (parts/distill-kl, log space, teacher detached).
 *
 * @param input student logits s [N, K]
 * @param teacher teacher logits t [N, K] (held constant)
 * @param target class indices [N] (int32)
 * @param ratio the fusion ratios α [N] in [0, 1]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Hu et al., "Less or More From Teacher: Exploiting Trilateral Geometry For Knowledge Distillation", ICLR 2024
 */
export function tgeoKdLoss(...args: Call<[input: Tensor, teacher: Tensor, target: Tensor, ratio: Tensor], TgeoKdOptions>): Tensor {
  const [input, teacher, target, ratio, { tau, reduction }] = entry.check(args);
  const kd = temperedKl(input, teacher, tau).mul(ratio);
  return applyReduction(kd.add(hardCrossEntropy(input, target).mul(ratio.neg().add(1))), { reduction });
}

/**
 * The trilateral-geometry features a fusion-ratio network reads (a reading of the paper's list): per sample the
 * concatenation [s − t, s − g, t − g, t − t̄_y] of student and teacher probabilities s, t [N, K], one-hot labels g
 * and the teacher's class-mean prediction t̄_y (rows of classMeans [K, K] at the labels) → [N, 4K].
 */
export function tgeoFeatures(studentProbs: Tensor, teacherProbs: Tensor, target: Tensor, classMeans: Tensor): Tensor {
  const g = target.oneHot(studentProbs.shape[1]).cast(studentProbs.dtype);
  const tBar = classMeans.gather(0, target.unsqueeze(1).expand([target.shape[0], classMeans.shape[1]]));
  return concat([studentProbs.sub(teacherProbs), studentProbs.sub(g), teacherProbs.sub(g), teacherProbs.sub(tBar)], 1);
}

export const entry = defineLoss({
  id: 'tgeo-kd',
  fn: tgeoKdLoss,
  args: [
    { name: 'input', shape: ['N', 'K'], dtype: 'float', domain: 'logits' },
    { name: 'teacher', shape: ['N', 'K'], dtype: 'float', domain: 'logits', stopGradient: true },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label', classes: 'K' },
    { name: 'ratio', shape: ['N'], dtype: 'float', domain: 'prob' },
  ],
  options,
  output: 'per-sample',
  reading: 'αᵢ·τ²·KL(p_t^τ ‖ p_s^τ) + (1 − αᵢ)·CE with the fusion ratio αᵢ an input (the sigmoid MLP over trilateral features and its bilevel training are the caller\'s); tgeoFeatures builds the reading [s − t, s − g, t − g, t − t̄_y] of the feature list.',
});
