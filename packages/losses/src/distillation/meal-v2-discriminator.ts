import { ArgumentError, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  role: opt.oneOf(['student', 'discriminator'], 'student', "'student': the adversarial term of the student's loss; 'discriminator': the discriminator's BCE (needs the teacher score)."),
  weight: opt.number(1, 'The weight of the student\'s adversarial term beside the similarity loss (1 in MEAL V2, unverified).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type MealV2DiscriminatorOptions = OptionsOf<typeof options>;

/**
 * MEAL V2's output discriminator: a small MLP D tells the teacher ensemble's probabilities from the student's.
 *
 * From the discriminator's logits d_s = D(p_s) and d_t = D(p̄): the student's adversarial term is
 * ℓᵢ = −w·logσ(d_s,i); the discriminator's BCE is ℓᵢ = −[logσ(d_t,i) + logσ(−d_s,i)] (teacher = real, student = fake).
 * Stable form: logσ as softplus, finite at logits of ±1e4. D (a 3-layer MLP in the paper) is the caller's; its
 * outputs carry gradient to D in the discriminator's role and to the student through p_s in the student's role.
 *
 * @param input discriminator logits on the student's probabilities d_s [N]
 * @param teacherScore discriminator logits on the teachers' averaged probabilities d_t [N] (role 'discriminator')
 * @returns a scalar, or [N] with reduction 'none'
 * @see Shen & Savvides, "MEAL V2: Boosting Vanilla ResNet-50 to 80%+ Top-1 Accuracy on ImageNet without Tricks", 2020, arXiv:2009.08453
 */
export function mealV2DiscriminatorLoss(...args: Call<[input: Tensor, teacherScore?: Tensor], MealV2DiscriminatorOptions>): Tensor {
  const [input, teacherScore, { role, weight, reduction }] = entry.check(args);
  if (role === 'student') return applyReduction(input.logSigmoid().mul(-weight), { reduction });
  if (!teacherScore) throw new ArgumentError('mealV2DiscriminatorLoss', "role 'discriminator' needs teacherScore (the discriminator's logits on the teachers' probabilities)");
  return applyReduction(teacherScore.logSigmoid().add(input.neg().logSigmoid()).neg(), { reduction });
}

export const entry = defineLoss({
  id: 'meal-v2-discriminator',
  fn: mealV2DiscriminatorLoss,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'logits' },
    { name: 'teacherScore', shape: ['N'], dtype: 'float', domain: 'logits', optional: true },
  ],
  options,
  output: 'per-sample',
  reading: 'The standard GAN BCE on the discriminator\'s logits (teacher ensemble real, student fake) and the non-saturating adversarial term −w·logσ(D(p_s)) for the student; the discriminator network is the caller\'s, its logits the inputs.',
});
