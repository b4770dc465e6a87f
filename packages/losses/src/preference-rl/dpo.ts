import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { logRatioMargin } from '../parts/preference.js';
import { sequenceLogProbs as sequenceLogProbsPart } from '../parts/tokens.js';

const options = {
  beta: opt.number(0.1, 'β: the strength of the implicit KL constraint to the reference (the implicit reward is β·log π/π_ref).', '(0, inf)'),
  reduction: opt.reduction(),
};
export type DpoOptions = OptionsOf<typeof options>;

/**
 * Direct Preference Optimization: a logistic loss on the difference of implicit rewards β·log(π/π_ref) of
 * the chosen and the rejected response.
 *
 * h = (log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l)), ℓ = −log σ(β·h). Stable form: logSigmoid
 * (softplus(−β·h)), never the log of a sigmoid; finite for any margin. The reference log-probabilities are
 * held constant (detached): no gradient reaches the frozen model. Its gradient raises log π(y_w) and lowers
 * log π(y_l) by β·σ(−β·h) each. Sequence log-probabilities are Σ_t log π(y_t | ·) over the response tokens:
 * `sequenceLogProbs(logits, tokens, mask).sum` (parts/tokens.ts).
 *
 * @param chosen policy sequence log-probs log π(y_w) [N]
 * @param rejected policy sequence log-probs log π(y_l) [N]
 * @param refChosen frozen-reference log π_ref(y_w) [N] (held constant)
 * @param refRejected frozen-reference log π_ref(y_l) [N] (held constant)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Rafailov et al., "Direct Preference Optimization: Your Language Model is Secretly a Reward Model", NeurIPS 2023, arXiv:2305.18290
 */
export function dpoLoss(...args: Call<[chosen: Tensor, rejected: Tensor, refChosen: Tensor, refRejected: Tensor], DpoOptions>): Tensor {
  const [chosen, rejected, refChosen, refRejected, { beta, reduction }] = entry.check(args);
  return applyReduction(logRatioMargin(chosen, rejected, refChosen, refRejected).mul(beta).logSigmoid().neg(), { reduction });
}

/**
 * Per-token log-probabilities of tokens [B, T] (int32) under logits [B, T, V] (log-softmax + gather), with their
 * per-sequence sum (DPO's log π(y)), count and mean; optional mask [B, T] and ignoreIndex (e.g. −100).
 */
export const sequenceLogProbs = sequenceLogProbsPart;

export const entry = defineLoss({
  id: 'dpo',
  fn: dpoLoss,
  args: [
    { name: 'chosen', shape: ['N'], dtype: 'float', domain: 'log-prob' },
    { name: 'rejected', shape: ['N'], dtype: 'float', domain: 'log-prob' },
    { name: 'refChosen', shape: ['N'], dtype: 'float', domain: 'log-prob', stopGradient: true },
    { name: 'refRejected', shape: ['N'], dtype: 'float', domain: 'log-prob', stopGradient: true },
  ],
  options,
  output: 'per-sample',
});
