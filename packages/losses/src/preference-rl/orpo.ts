import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { log1mexp } from '../parts/preference.js';
import { maskedMean, tokenMask } from '../parts/tokens.js';

const options = {
  lambda: opt.number(0.1, 'λ: the weight of the odds-ratio term against the NLL of the chosen response.', '[0, inf)'),
  reduction: opt.reduction(),
};
export type OrpoOptions = OptionsOf<typeof options>;

/**
 * ORPO (odds-ratio preference optimization): the NLL of the chosen response plus a logistic loss on the log
 * odds ratio of chosen against rejected, no reference model.
 *
 * lp(y) = mean_t log π(y_t | ·) over the response tokens, log odds(y) = lp − log(1 − e^lp);
 * ℓ = −lp(y_w) − λ·log σ(log odds(y_w) − log odds(y_l)). Stable form: log(1 − e^lp) by log1mexp (log(−expm1)
 * near 0, log1p(−exp) below −ln 2), logSigmoid for the outer log. lp = 0 (probability 1) has infinite odds.
 *
 * Reading: the DPA-logic paper lists ORPO without code; this is the ORPO paper's form (TRL's ORPOTrainer, with
 * the NLL averaged per response as in the paper's eq. 2 rather than over the batch's tokens).
 *
 * @param chosen token log-probs of y_w [N, T]
 * @param rejected token log-probs of y_l [N, S]
 * @param chosenMask optional [N, T] (bool or 0/1): the response tokens of y_w (default all)
 * @param rejectedMask optional [N, S]: the response tokens of y_l (default all)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Hong, Lee & Thorne, "ORPO: Monolithic Preference Optimization without Reference Model", EMNLP 2024, arXiv:2403.07691
 */
export function orpoLoss(...args: Call<[chosen: Tensor, rejected: Tensor, chosenMask?: Tensor, rejectedMask?: Tensor], OrpoOptions>): Tensor {
  const [chosen, rejected, chosenMask, rejectedMask, { lambda, reduction }] = entry.check(args);
  const lpW = maskedMean(chosen, tokenMask(chosen, chosenMask));
  const lpL = maskedMean(rejected, tokenMask(rejected, rejectedMask));
  const logOddsRatio = lpW.sub(log1mexp(lpW)).sub(lpL.sub(log1mexp(lpL)));
  return applyReduction(lpW.neg().sub(logOddsRatio.logSigmoid().mul(lambda)), { reduction });
}

export const entry = defineLoss({
  id: 'orpo',
  fn: orpoLoss,
  args: [
    { name: 'chosen', shape: ['N', 'T'], dtype: 'float', domain: 'log-prob' },
    { name: 'rejected', shape: ['N', 'S'], dtype: 'float', domain: 'log-prob' },
    { name: 'chosenMask', shape: ['N', 'T'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'T'], dtype: 'float', domain: 'binary' } },
    { name: 'rejectedMask', shape: ['N', 'S'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'S'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'per-sample',
  reading: "ORPO's published form: per-response mean token log-probabilities, NLL of the chosen response + λ·(−log σ(log odds ratio)).",
});
