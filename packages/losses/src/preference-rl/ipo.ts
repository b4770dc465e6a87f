import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { logRatioMargin } from '../parts/preference.js';

const options = {
  tau: opt.number(0.1, 'τ: the regularisation strength; the log-ratio margin is regressed to 1/(2τ).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type IpoOptions = OptionsOf<typeof options>;

/**
 * IPO (Ψ-PO with identity Ψ): a squared loss that regresses the log-likelihood-ratio margin to 1/(2τ) instead
 * of pushing it to infinity as DPO's logistic loss can on deterministic preferences.
 *
 * h = (log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l)), ℓ = (h − 1/(2τ))². Polynomial, so
 * finite everywhere. The references are held constant (detached). TRL's `loss_type="ipo"` feeds it per-token
 * averaged log-probabilities: pass `sequenceLogProbs(...).mean` instead of `.sum` for that variant.
 *
 * @param chosen policy sequence log-probs log π(y_w) [N]
 * @param rejected policy sequence log-probs log π(y_l) [N]
 * @param refChosen frozen-reference log π_ref(y_w) [N] (held constant)
 * @param refRejected frozen-reference log π_ref(y_l) [N] (held constant)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Azar et al., "A General Theoretical Paradigm to Understand Learning from Human Preferences", AISTATS 2024, arXiv:2310.12036
 */
export function ipoLoss(...args: Call<[chosen: Tensor, rejected: Tensor, refChosen: Tensor, refRejected: Tensor], IpoOptions>): Tensor {
  const [chosen, rejected, refChosen, refRejected, { tau, reduction }] = entry.check(args);
  return applyReduction(logRatioMargin(chosen, rejected, refChosen, refRejected).sub(1 / (2 * tau)).square(), { reduction });
}

export const entry = defineLoss({
  id: 'ipo',
  fn: ipoLoss,
  args: [
    { name: 'chosen', shape: ['N'], dtype: 'float', domain: 'log-prob' },
    { name: 'rejected', shape: ['N'], dtype: 'float', domain: 'log-prob' },
    { name: 'refChosen', shape: ['N'], dtype: 'float', domain: 'log-prob', stopGradient: true },
    { name: 'refRejected', shape: ['N'], dtype: 'float', domain: 'log-prob', stopGradient: true },
  ],
  options,
  output: 'per-sample',
});
