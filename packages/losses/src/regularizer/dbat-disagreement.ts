import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  alpha: opt.number(1, 'α: the weight of the disagreement term beside the task loss (tuned per task in the paper; 1 leaves the term unscaled).', '[0, inf)'),
  eps: opt.number(1e-7, 'Added inside the log, as the authors\' code does.', '(0, inf)'),
  form: opt.oneOf(['auto', 'binary', 'multiclass'], 'auto', "'auto': the binary form for C = 2, the multiclass one otherwise."),
  reduction: opt.reduction(),
};
export type DbatDisagreementOptions = OptionsOf<typeof options>;

/**
 * D-BAT's disagreement loss: a new model is rewarded for disagreeing with a frozen one on out-of-distribution data.
 *
 * Binary (C = 2): ℓᵢ = −α·log(p₁(0)p₂(1) + p₁(1)p₂(0) + ε). Multiclass: a = argmax p₁, b = argmax p₂,
 * ℓᵢ = −α·log(p₁(a)(1 − p₂(a)) + p₂(b)(1 − p₁(b)) + ε). The ε keeps exact probabilities of 0 and 1 finite. The
 * argmaxes are indices (no gradient); the gathered probabilities carry it. p₁ is the frozen model's: no gradient.
 *
 * @param input the new model's probabilities p₂ [N, C]
 * @param reference the frozen model's probabilities p₁ [N, C]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Pagliardini et al., "Agree to Disagree: Diversity through Disagreement for Better Transferability", ICLR 2023
 *   (analysed in Benoit et al., "Unraveling the Key Components of OOD Generalization via Diversification", ICLR 2024)
 */
export function dbatDisagreement(...args: Call<[input: Tensor, reference: Tensor], DbatDisagreementOptions>): Tensor {
  const [p2, p1raw, { alpha, eps, form, reduction }] = entry.check(args);
  const p1 = p1raw.detach();
  const binary = form === 'binary' || (form === 'auto' && p2.shape[1] === 2);
  let agree: Tensor;
  if (binary) {
    const at = (p: Tensor, k: number) => p.slice(1, k, k + 1).squeeze(1);
    agree = at(p1, 0).mul(at(p2, 1)).add(at(p1, 1).mul(at(p2, 0)));
  } else {
    const a = p1.argmax(-1, true);
    const b = p2.detach().argmax(-1, true);
    const pick = (p: Tensor, i: Tensor) => p.gather(-1, i).squeeze(-1);
    agree = pick(p1, a).mul(pick(p2, a).neg().add(1)).add(pick(p2, b).mul(pick(p1, b).neg().add(1)));
  }
  return applyReduction(agree.add(eps).log().mul(-alpha), { reduction });
}

export const entry = defineLoss({
  id: 'dbat-disagreement',
  fn: dbatDisagreement,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'simplex' },
    { name: 'reference', shape: ['N', 'C'], dtype: 'float', domain: 'simplex', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  needsTwoClasses: 'disagreement between two models needs at least two classes to disagree on',
  reading: 'The D-BAT paper\'s binary and multiclass forms (a = argmax p₁, b = argmax p₂) with ε = 1e-7 inside the log; α scales the term.',
});
