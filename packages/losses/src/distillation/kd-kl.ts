import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { hardCrossEntropy, temperedKl } from '../parts/distill-kl.js';

const options = {
  T: opt.number(4, 'T: the temperature of both softmaxes (4 on CIFAR, 1–2 on ImageNet, 2 in BiC/WA).', '(0, inf)'),
  alpha: opt.number(0.9, 'α: the weight of the KD term, 1 − α that of the cross-entropy (used only when targets are given).', '[0, 1]'),
  reduction: opt.reduction(),
};
export type KdKlOptions = OptionsOf<typeof options>;

/**
 * Knowledge-distillation KL (Hinton et al.): the student matches the teacher's softened distribution.
 *
 * p_t = softmax(sg(z_t)/T), log p_s = log_softmax(z_s/T), KD = T²·Σ_k p_t,k·(log p_t,k − log p_s,k); with
 * class targets ℓ = (1 − α)·CE(z_s, y) + α·KD, without them ℓ = KD. 'mean' is PyTorch's 'batchmean' (the
 * per-sample sums averaged over N). Stable form: both sides are log-softmaxes of max-shifted logits and
 * p_t = exp(log p_t), so vanishing teacher classes contribute 0 and logits of ±1e4 stay finite. The T² keeps
 * the soft-target gradient, T·(q_s − p_t) with respect to z_s, of the same size as T changes (→ (z_s − z_t)/C
 * for zero-mean logits at high T). The teacher is detached: no gradient reaches it.
 *
 * @param input student logits z_s [N, C]
 * @param teacher teacher logits z_t [N, C] (held constant)
 * @param target optional class indices [N] (int32) for the cross-entropy part
 * @returns a scalar, or [N] with reduction 'none'
 * @see Hinton, Vinyals & Dean, "Distilling the Knowledge in a Neural Network", NeurIPS workshop 2014, arXiv:1503.02531
 */
export function kdKlLoss(...args: Call<[input: Tensor, teacher: Tensor, target?: Tensor], KdKlOptions>): Tensor {
  const [input, teacher, target, { T, alpha, reduction }] = entry.check(args);
  const kd = temperedKl(input, teacher, T);
  const values = target ? hardCrossEntropy(input, target).mul(1 - alpha).add(kd.mul(alpha)) : kd;
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'kd-kl',
  fn: kdKlLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'teacher', shape: ['N', 'C'], dtype: 'float', domain: 'logits', stopGradient: true },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label', optional: true },
  ],
  options,
  output: 'per-sample',
});
