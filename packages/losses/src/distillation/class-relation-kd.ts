import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { temperedKl } from '../parts/distill-kl.js';

const options = {
  tau: opt.number(1, 'τ: the temperature of both softmaxes. The catalog gives none (≈0.1–1); 1 keeps the known-class distributions as the models output them.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type ClassRelationKdOptions = OptionsOf<typeof options>;

/**
 * Class-relation KD for novel class discovery: a novel-class sample's relation to the known classes, as the
 * frozen supervised model sees it, is distilled into the student's known-class head, weighted per sample.
 *
 * ℓ_b = w_b·KL(softmax(sg(z_t,b)/τ) ‖ softmax(z_s,b/τ)), w_b from a learnable weight function of the sample's
 * similarity to the known classes (computed by the caller, e.g. a sigmoid MLP of the max known-class probability;
 * it receives gradient through ℓ). Added to the usual NCD loss. Log-space KL (parts/distill-kl); teacher detached.
 *
 * @param input student known-class logits z_s [N, K]
 * @param teacher the frozen supervised model's known-class logits z_t [N, K] (held constant)
 * @param weight optional per-sample weights w [N] (≥ 0; absent: 1)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Gu et al., "Class-relation Knowledge Distillation for Novel Class Discovery", ICCV 2023
 */
export function classRelationKdLoss(...args: Call<[input: Tensor, teacher: Tensor, weight?: Tensor], ClassRelationKdOptions>): Tensor {
  const [input, teacher, weight, { tau, reduction }] = entry.check(args);
  const kl = temperedKl(input, teacher, tau, { scale: 1 });
  return applyReduction(weight ? kl.mul(weight) : kl, { reduction });
}

export const entry = defineLoss({
  id: 'class-relation-kd',
  fn: classRelationKdLoss,
  args: [
    { name: 'input', shape: ['N', 'K'], dtype: 'float', domain: 'logits' },
    { name: 'teacher', shape: ['N', 'K'], dtype: 'float', domain: 'logits', stopGradient: true },
    { name: 'weight', shape: ['N'], dtype: 'float', domain: 'nonneg', optional: true },
  ],
  options,
  output: 'per-sample',
  reading: 'mean_b w_b·KL(softmax(z_t/τ) ‖ softmax(z_s/τ)) with the per-sample weights w_b supplied by the caller (the weight network is outside the loss and receives gradient through it); no τ² factor, τ = 1 by default.',
});
