import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { bernoulliKl, hardCrossEntropy, temperedKl } from '../parts/distill-kl.js';

const options = {
  T: opt.number(4, 'T: the temperature of the KD term on the main head (and of the BinaryKL term on the auxiliary head).', '(0, inf)'),
  alpha: opt.number(1, 'α: the weight of the probability-level KD term on the main head.', '[0, inf)'),
  beta: opt.number(1, 'β: the weight of the logit-level BinaryKL term on the auxiliary head.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type DualHeadKdOptions = OptionsOf<typeof options>;

/**
 * Dual-head KD: probability-level KD on the main head, a logit-level loss on an auxiliary head of the same backbone.
 *
 * ℓᵢ = CE(z₁, y) + α·T²·KL(softmax(t/T) ‖ softmax(z₁/T)) + β·T²·Σ_k BernoulliKL(σ(t_k/T) ‖ σ(z₂,k/T)), the kd-kl and
 * binary-kl-logit terms (parts/distill-kl). The routing is in the graph: z₁ receives only CE and KD, z₂ only the
 * BinaryKL term, the shared backbone both; inference uses z₁. Log-space throughout; the teacher is detached.
 *
 * @param input main-head logits z₁ [N, K]
 * @param auxiliary auxiliary-head logits z₂ [N, K]
 * @param teacher teacher logits t [N, K] (held constant)
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Yang et al., "Dual-Head Knowledge Distillation: Enhancing Logits Utilization with an Auxiliary Head", 2024, arXiv:2411.08937
 */
export function dualHeadKdLoss(...args: Call<[input: Tensor, auxiliary: Tensor, teacher: Tensor, target: Tensor], DualHeadKdOptions>): Tensor {
  const [z1, z2, teacher, target, { T, alpha, beta, reduction }] = entry.check(args);
  const kd = temperedKl(z1, teacher, T).mul(alpha);
  const logit = bernoulliKl(z2, teacher, T).sum(-1).mul(beta * T * T);
  return applyReduction(hardCrossEntropy(z1, target).add(kd).add(logit), { reduction });
}

export const entry = defineLoss({
  id: 'dual-head-kd',
  fn: dualHeadKdLoss,
  args: [
    { name: 'input', shape: ['N', 'K'], dtype: 'float', domain: 'logits' },
    { name: 'auxiliary', shape: ['N', 'K'], dtype: 'float', domain: 'logits' },
    { name: 'teacher', shape: ['N', 'K'], dtype: 'float', domain: 'logits', stopGradient: true },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label', classes: 'K' },
  ],
  options,
  output: 'per-sample',
  reading: 'CE(z₁, y) + α·kd-kl(z₁, t; T) + β·binary-kl-logit(z₂, t; T): the auxiliary head\'s logit-level loss read as BinaryKL (not logit MSE), at the same temperature T as the KD term.',
});
