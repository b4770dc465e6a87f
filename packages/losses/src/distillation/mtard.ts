import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { klFromLogProbs, temperedLogSoftmax } from '../parts/distill-kl.js';

const options = {
  wClean: opt.number(0.5, 'w_c: the weight of the clean branch (the adversarial branch gets w_a = 1 − w_c); MTARD starts both at ½ and updates them by Normalization Loss Balance.', '[0, 1]'),
  tauClean: opt.number(1, 'τ_c: the clean teacher\'s temperature (Entropy-Based Balance adjusts it; 1 at the start).', '(0, inf)'),
  tauAdv: opt.number(1, 'τ_a: the robust teacher\'s temperature (Entropy-Based Balance adjusts it; 1 at the start).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type MtardOptions = OptionsOf<typeof options>;

/**
 * MTARD: the student distils a clean teacher on clean inputs and a robust teacher on adversarial ones.
 *
 * ℓᵢ = w_c·KL(softmax(sg(T_c(x))/τ_c) ‖ softmax(S(x))) + (1 − w_c)·KL(softmax(sg(T_a(x_adv))/τ_a) ‖ softmax(S(x_adv))).
 * The balancing procedures are the caller's, between steps: Entropy-Based Balance moves τ_c, τ_a until the two
 * teachers' softened entropies match; Normalization Loss Balance moves w_c from each branch's relative loss
 * decrease L_t/L_0. x_adv (PGD, ε = 8/255, 10 steps, against the student) is generated outside. Log-space KLs;
 * both teachers detached.
 *
 * @param input student logits on clean inputs S(x) [N, C]
 * @param inputAdv student logits on adversarial inputs S(x_adv) [N, C]
 * @param teacherClean clean teacher logits T_c(x) [N, C] (held constant)
 * @param teacherAdv robust teacher logits T_a(x_adv) [N, C] (held constant)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Zhao et al., "Mitigating the Accuracy-Robustness Trade-off via Multi-Teacher Adversarial Distillation", 2023, arXiv:2306.16170
 */
export function mtardLoss(...args: Call<[input: Tensor, inputAdv: Tensor, teacherClean: Tensor, teacherAdv: Tensor], MtardOptions>): Tensor {
  const [input, inputAdv, teacherClean, teacherAdv, { wClean, tauClean, tauAdv, reduction }] = entry.check(args);
  const clean = klFromLogProbs(temperedLogSoftmax(teacherClean.detach(), tauClean), input.logSoftmax(-1));
  const adv = klFromLogProbs(temperedLogSoftmax(teacherAdv.detach(), tauAdv), inputAdv.logSoftmax(-1));
  return applyReduction(clean.mul(wClean).add(adv.mul(1 - wClean)), { reduction });
}

export const entry = defineLoss({
  id: 'mtard',
  fn: mtardLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'inputAdv', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'teacherClean', shape: ['N', 'C'], dtype: 'float', domain: 'logits', stopGradient: true },
    { name: 'teacherAdv', shape: ['N', 'C'], dtype: 'float', domain: 'logits', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: 'The two-branch objective w_c·KL(p_Tc^τc ‖ p_S(x)) + (1 − w_c)·KL(p_Ta^τa ‖ p_S(x_adv)) with the student untempered; the temperatures and weights are options that the caller\'s Entropy-Based Balance and Normalization Loss Balance update between steps (their exact rules are not in the abstract and are not implemented here), and PGD is outside.',
});
