import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { targetMask } from '../parts/target-log-probs.js';
import { applyReduction } from '../reduce.js';

const options = {
  reduction: opt.reduction(),
};
export type OvaOpenSetLossOptions = OptionsOf<typeof options>;

/**
 * One-vs-all open-set loss (OVANet form): each class has a binary head o_k, p⁺_k = softmax(o_k)₁.
 *
 * ℓᵢ = −log p⁺_{i,y} − min_{j≠y} log(1 − p⁺_ij): the positive term of the target's head plus the hardest
 * negative head. log p⁺ and log(1 − p⁺) are the two entries of a max-shifted logSoftmax over each head's
 * pair (finite at logits of ±1e4, no +1e-8 inside a log as in the reference code). At test time a sample
 * is rejected as unknown when p⁺ of the closed-set argmax class is below 0.5.
 *
 * @param input per-class binary logits [N, C, 2] (index 1 = "is this class"); OVANet's [N, 2, C] layout is
 *   `.transpose(1, 2)`
 * @param target class indices [N] (int32), C ≥ 2
 * @returns a scalar, or [N] with reduction 'none'
 * @see Wang et al., "Generalizable Decision Boundaries: Dualistic Meta-Learning for Open Set Domain
 *   Generalization", 2024; Saito & Saenko, "OVANet: One-vs-All Network for Universal Domain Adaptation", ICCV 2021
 */
export function ovaOpenSetLoss(...args: Call<[input: Tensor, target: Tensor], OvaOpenSetLossOptions>): Tensor {
  const [input, target, { reduction }] = entry.check(args);
  const logp = input.logSoftmax(-1);
  const logPos = logp.narrow(-1, 1, 1).squeeze(-1); // log p⁺ [N, C]
  const logNeg = logp.narrow(-1, 0, 1).squeeze(-1); // log(1 − p⁺) [N, C]
  const pos = logPos.gather(-1, target.unsqueeze(-1)).squeeze(-1).neg();
  // With one class there is no negative head: the loss is the positive term alone (not the min of nothing, +∞).
  if (input.shape[1] === 1) return applyReduction(pos, { reduction });
  // The target's own head is excluded from the hardest-negative search by setting it to +∞.
  const hardestNeg = logNeg.maskedFill(targetMask(target, input.shape[1]), Infinity).amin(-1).neg();
  return applyReduction(pos.add(hardestNeg), { reduction });
}

export const entry = defineLoss({
  id: 'ova-open-set-loss',
  fn: ovaOpenSetLoss,
  args: [
    { name: 'input', shape: ['N', 'C', 2], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'per-sample',
});
