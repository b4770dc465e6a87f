import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { entropyFromLogProbs, hardCrossEntropy, klFromLogProbs, temperedLogSoftmax } from '../parts/distill-kl.js';

const options = {
  tau: opt.number(3, 'τ: the temperature of both softmaxes (3–4 in the paper).', '(0, inf)'),
  eps: opt.number(1e-8, 'ε: added to each entropy in a = (H(p_t) + ε)/(H(p_t) + H(p_s) + 2ε), so a = ½ where both vanish.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type BdKdOptions = OptionsOf<typeof options>;

/**
 * BD-KD: the student's online-distillation loss, balancing forward and reverse KL per sample.
 *
 * p = softmax(z/τ) in log space; ℓᵢ = CE(z_s, y) + τ²·[aᵢ·KL(p_t ‖ p_s) + bᵢ·KL(p_s ‖ p_t)], aᵢ = H(p_t)/(H(p_t) + H(p_s)),
 * bᵢ = 1 − aᵢ: a confident teacher (small H(p_t)) shifts the weight to the mode-seeking reverse KL. aᵢ depends on the
 * student through H(p_s) and is differentiated as written; an ε in numerator and denominator makes a = ½ where both
 * entropies vanish (one-hot softmaxes at extreme logits).
 * Both KLs are Σ exp(log p)(log p − log q) of log-softmaxes, finite at logits of ±1e4. The teacher is detached:
 * its own loss in mutual learning (CE + KL(p_s ‖ p_t)) is the caller's second call with the roles swapped.
 *
 * @param input student logits z_s [N, C]
 * @param teacher teacher logits z_t [N, C] (held constant in this loss)
 * @param target class indices [N] (int32)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Amara et al., "BD-KD: Balancing the Divergences for Online Knowledge Distillation", 2022, arXiv:2212.12965
 */
export function bdKdLoss(...args: Call<[input: Tensor, teacher: Tensor, target: Tensor], BdKdOptions>): Tensor {
  const [input, teacher, target, { tau, eps, reduction }] = entry.check(args);
  const logPt = temperedLogSoftmax(teacher.detach(), tau);
  const logPs = temperedLogSoftmax(input, tau);
  const hT = entropyFromLogProbs(logPt);
  const hS = entropyFromLogProbs(logPs);
  // ε in both places keeps a smooth and equal to ½ where both entropies vanish (one-hot softmaxes at extreme logits).
  const a = hT.add(eps).div(hT.add(hS).add(2 * eps));
  const kd = klFromLogProbs(logPt, logPs).mul(a).add(klFromLogProbs(logPs, logPt).mul(a.neg().add(1))).mul(tau * tau);
  return applyReduction(hardCrossEntropy(input, target).add(kd), { reduction });
}

export const entry = defineLoss({
  id: 'bd-kd',
  fn: bdKdLoss,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'teacher', shape: ['N', 'C'], dtype: 'float', domain: 'logits', stopGradient: true },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
  reading: 'Student loss CE + τ²·[a·KL(p_t‖p_s) + (1 − a)·KL(p_s‖p_t)] with per-sample a = (H(p_t) + ε)/(H(p_t) + H(p_s) + 2ε) of the tempered softmaxes, differentiated as written (the student\'s entropy carries gradient); the teacher\'s mutual-learning loss is not part of this entry.',
});
