import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';

const options = {
  rejectCost: opt.number(0.2, 'c: the cost of rejecting (< 1, the cost of an error); no default in the abstract, 0.2 a mid value of the paper\'s range.', '[0, 1]'),
  phi: opt.oneOf(['logistic', 'exponential'] as const, 'logistic', 'Φ: logistic Φ(t) = log₂(1 + e^{−t}) or exponential Φ(t) = e^{−t}.'),
  a: opt.number(1, 'a: the weight of the error term (no value in the abstract: 1).', '[0, inf)'),
  b: opt.number(1, 'b: the weight of the rejection term (no value in the abstract: 1).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type RejectOptionSurrogateOptions = OptionsOf<typeof options>;

/**
 * Surrogate loss for learning a rejector r for a fixed predictor h: accept (r > 0) where h is right, reject
 * where accepting costs more than the rejection cost c.
 *
 * Target cost e·1[r(x) > 0] + c·1[r(x) ≤ 0] with e = 1[h(x) ≠ y]; surrogate ℓ = a·e·Φ(−r(x)) + b·c·Φ(r(x)), Φ a
 * decreasing margin loss: logistic log₂(1 + e^{−t}) = softplus(−t)/ln 2 (stable form) or exponential e^{−t}
 * (which grows without bound as the margin goes wrong, as the definition says).
 *
 * @param input rejector scores r(x) [N]
 * @param error whether the fixed predictor errs, e ∈ {0, 1} [N]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Mohri et al., "Learning to Reject with a Fixed Predictor: Application to Decontextualization", ICLR 2024
 */
export function rejectOptionSurrogate(...args: Call<[input: Tensor, error: Tensor], RejectOptionSurrogateOptions>): Tensor {
  const [input, error, { rejectCost, phi, a, b, reduction }] = entry.check(args);
  const surrogate = (t: Tensor) => (phi === 'logistic' ? t.neg().softplus().div(Math.LN2) : t.neg().exp());
  return applyReduction(error.mul(surrogate(input.neg())).mul(a).add(surrogate(input).mul(b * rejectCost)), { reduction });
}

export const entry = defineLoss({
  id: 'reject-option-surrogate',
  fn: rejectOptionSurrogate,
  args: [
    { name: 'input', shape: ['N'], dtype: 'float', domain: 'logits' },
    { name: 'error', shape: ['N'], dtype: 'float', domain: 'binary' },
  ],
  options,
  output: 'per-sample',
  reading: 'ℓ = a·e·Φ(−r) + b·c·Φ(r) with a = b = 1 and c = 0.2 by default (the coefficients are not in the abstract); Φ logistic (log base 2) or exponential.',
});
