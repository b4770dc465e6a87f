import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { logRatioMargin } from '../parts/preference.js';

const options = {
  beta: opt.number(0.1, 'β: the scale of the implicit reward margin, as in DPO.', '(0, inf)'),
  reduction: opt.reduction(),
};
export type OspSoftPreferenceCeOptions = OptionsOf<typeof options>;

/**
 * Soft-preference cross-entropy (OSP): DPO's logistic loss against a soft label s, the strength with which
 * y_w is preferred to y_l.
 *
 * h = β·[(log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l))], ℓ = −[s·log σ(h) + (1 − s)·log σ(−h)];
 * s = 1 is DPO. Stable form: both terms are logSigmoids. References and s are held constant.
 *
 * Reading: the paper derives s from self-judged ranked pairs (a procedure); here s is an input in [0, 1].
 *
 * @param chosen policy log π(y_w) [N]
 * @param rejected policy log π(y_l) [N]
 * @param refChosen reference log π_ref(y_w) [N] (held constant)
 * @param refRejected reference log π_ref(y_l) [N] (held constant)
 * @param strength preference strength s [N] in [0, 1] (held constant)
 * @returns a scalar, or [N] with reduction 'none'
 * @see "Online Self-Preferring Language Models", 2024 (the catalog's source)
 */
export function ospSoftPreferenceCeLoss(...args: Call<[chosen: Tensor, rejected: Tensor, refChosen: Tensor, refRejected: Tensor, strength: Tensor], OspSoftPreferenceCeOptions>): Tensor {
  const [chosen, rejected, refChosen, refRejected, strength, { beta, reduction }] = entry.check(args);
  const h = logRatioMargin(chosen, rejected, refChosen, refRejected).mul(beta);
  const s = strength.detach();
  const values = s.mul(h.logSigmoid()).add(s.neg().add(1).mul(h.neg().logSigmoid())).neg();
  return applyReduction(values, { reduction });
}

export const entry = defineLoss({
  id: 'osp-soft-preference-ce',
  fn: ospSoftPreferenceCeLoss,
  args: [
    { name: 'chosen', shape: ['N'], dtype: 'float', domain: 'log-prob' },
    { name: 'rejected', shape: ['N'], dtype: 'float', domain: 'log-prob' },
    { name: 'refChosen', shape: ['N'], dtype: 'float', domain: 'log-prob', stopGradient: true },
    { name: 'refRejected', shape: ['N'], dtype: 'float', domain: 'log-prob', stopGradient: true },
    { name: 'strength', shape: ['N'], dtype: 'float', domain: 'prob', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: 'The preference strength s is an input in [0, 1]; how OSP derives it from self-judged rankings is a data procedure left to the caller.',
});
