import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { maskedMean, tokenMask } from '../parts/tokens.js';

const options = {
  beta: opt.number(2, 'β: the scale of the length-normalised reward (2–2.5 in the paper).', '(0, inf)'),
  gamma: opt.number(1, 'γ: the target reward margin (γ/β ≈ 0.5 in the paper).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type SimpoOptions = OptionsOf<typeof options>;

/**
 * SimPO: a reference-free logistic preference loss on length-normalised log-likelihoods with a target margin.
 *
 * r(y) = (β/|y|)·Σ_t log π(y_t | ·), ℓ = −log σ(r(y_w) − r(y_l) − γ). Stable form: logSigmoid; the token
 * log-probabilities come from `sequenceLogProbs` (log-softmax + gather). |y| counts the mask's tokens.
 *
 * Reading: the DPA-logic paper lists SimPO without code; this is the SimPO paper's form (TRL's CPOTrainer with
 * loss_type "simpo": −logσ(β·(avg_w − avg_l) − γ)).
 *
 * @param chosen token log-probs of y_w [N, T]
 * @param rejected token log-probs of y_l [N, S]
 * @param chosenMask optional [N, T] (bool or 0/1): the response tokens of y_w (default all)
 * @param rejectedMask optional [N, S]: the response tokens of y_l (default all)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Meng, Xia & Chen, "SimPO: Simple Preference Optimization with a Reference-Free Reward", NeurIPS 2024, arXiv:2405.14734
 */
export function simpoLoss(...args: Call<[chosen: Tensor, rejected: Tensor, chosenMask?: Tensor, rejectedMask?: Tensor], SimpoOptions>): Tensor {
  const [chosen, rejected, chosenMask, rejectedMask, { beta, gamma, reduction }] = entry.check(args);
  const avgW = maskedMean(chosen, tokenMask(chosen, chosenMask));
  const avgL = maskedMean(rejected, tokenMask(rejected, rejectedMask));
  return applyReduction(avgW.sub(avgL).mul(beta).sub(gamma).logSigmoid().neg(), { reduction });
}

export const entry = defineLoss({
  id: 'simpo',
  fn: simpoLoss,
  args: [
    { name: 'chosen', shape: ['N', 'T'], dtype: 'float', domain: 'log-prob' },
    { name: 'rejected', shape: ['N', 'S'], dtype: 'float', domain: 'log-prob' },
    { name: 'chosenMask', shape: ['N', 'T'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'T'], dtype: 'float', domain: 'binary' } },
    { name: 'rejectedMask', shape: ['N', 'S'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'S'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'per-sample',
  reading: "SimPO's published form on per-token log-probabilities, averaged over each response's masked tokens.",
});
