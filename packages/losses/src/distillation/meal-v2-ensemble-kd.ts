import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { softCrossEntropy, temperedLogSoftmax } from '../parts/distill-kl.js';

const options = {
  T: opt.number(1, 'T: the temperature of the teachers\' and the student\'s softmaxes (MEAL V2 uses 1).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type MealV2EnsembleKdOptions = OptionsOf<typeof options>;

/**
 * MEAL V2's similarity loss: cross-entropy of the student against the teacher ensemble's averaged probabilities.
 *
 * p̄ = (1/M)·Σ_m softmax(sg(z_t^m)/T) (an average of probabilities, not of logits); ℓᵢ = −Σ_c p̄_ic·log_softmax(z_s/T)_ic
 * (= KL(p̄ ‖ p_s) + H(p̄)); no hard-label term. Stable form: the student side is a log-softmax, the teachers'
 * probabilities are softmaxes (exact zeros contribute 0·finite). The teachers are detached.
 *
 * @param input student logits z_s [N, C]
 * @param teachers the M teachers' logits [M, N, C] (held constant)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Shen & Savvides, "MEAL V2: Boosting Vanilla ResNet-50 to 80%+ Top-1 Accuracy on ImageNet without Tricks", 2020, arXiv:2009.08453
 */
export function mealV2EnsembleKdLoss(...args: Call<[input: Tensor, teachers: Tensor], MealV2EnsembleKdOptions>): Tensor {
  const [input, teachers, { T, reduction }] = entry.check(args);
  const pBar = temperedLogSoftmax(teachers.detach(), T).exp().mean(0);
  return applyReduction(softCrossEntropy(pBar, temperedLogSoftmax(input, T)), { reduction });
}

export const entry = defineLoss({
  id: 'meal-v2-ensemble-kd',
  fn: mealV2EnsembleKdLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'teachers', shape: ['M', 'N', 'C'], dtype: 'float', domain: 'logits', stopGradient: true },
  ],
  options,
  output: 'per-sample',
});
