import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { maskedSum, tokenMask } from '../parts/tokens.js';

const options = {
  beta: opt.number(0.05, 'β: the scale of the log-likelihood-ratio reward (0.05 in the paper\'s experiments; the catalog marks it uncertain).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type ImplicitPrmCeOptions = OptionsOf<typeof options>;

/**
 * Implicit process reward model trained with cross-entropy on outcome labels: the response reward is β times
 * the policy/reference log-likelihood ratio, fitted to binary outcomes with a logistic loss.
 *
 * r(y) = β·Σ_t m_t·(log π(y_t) − log π_ref(y_t)), ℓ = −[l·log σ(r) + (1 − l)·log σ(−r)]. Stable form: logSigmoids
 * (BCE with logits). The reference is held constant. The process reward of step k is the same sum up to the end
 * of step k minus that up to the end of step k − 1: `β·cumsum(m·(lp − lp_ref))` read at the step ends.
 *
 * @param logProbs policy token log-probs [N, T]
 * @param refLogProbs frozen-reference token log-probs [N, T] (held constant)
 * @param label outcome labels [N] in {0, 1} (float)
 * @param mask optional [N, T] (bool or 0/1): the response tokens (default all)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Yuan et al., "Free Process Rewards without Process Labels", 2024, arXiv:2412.01981
 */
export function implicitPrmCeLoss(...args: Call<[logProbs: Tensor, refLogProbs: Tensor, label: Tensor, mask?: Tensor], ImplicitPrmCeOptions>): Tensor {
  const [logProbs, refLogProbs, label, mask, { beta, reduction }] = entry.check(args);
  const r = maskedSum(logProbs.sub(refLogProbs.detach()), tokenMask(logProbs, mask)).mul(beta);
  const l = label.detach();
  return applyReduction(l.mul(r.logSigmoid()).add(l.neg().add(1).mul(r.neg().logSigmoid())).neg(), { reduction });
}

export const entry = defineLoss({
  id: 'implicit-prm-ce',
  fn: implicitPrmCeLoss,
  args: [
    { name: 'logProbs', shape: ['N', 'T'], dtype: 'float', domain: 'log-prob' },
    { name: 'refLogProbs', shape: ['N', 'T'], dtype: 'float', domain: 'log-prob', stopGradient: true },
    { name: 'label', shape: ['N'], dtype: 'float', domain: 'binary' },
    { name: 'mask', shape: ['N', 'T'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'T'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'per-sample',
});
