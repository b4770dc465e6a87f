import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { logRatioMargin } from '../parts/preference.js';

const options = {
  beta: opt.number(0.1, 'β: the scale of the reference-free log-likelihood margin.', '(0, inf)'),
  alpha: opt.number(1, 'α: the weight of the NLL on the chosen response (TRL\'s cpo_alpha, 1 in the CPO paper).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type CpoOptions = OptionsOf<typeof options>;

/**
 * CPO (contrastive preference optimization): DPO without the reference model, plus the negative
 * log-likelihood of the chosen response.
 *
 * ℓ = −log σ(β·(log π(y_w) − log π(y_l))) − α·log π(y_w). Stable form: logSigmoid. Single-model: no reference.
 *
 * Reading: the DPA-logic paper lists CPO as a single-model loss without code; this is the CPO paper's form
 * (Xu et al.) as TRL's CPOTrainer computes it. TRL's NLL is a token mean over the chosen tokens; here the NLL
 * is of the log-probability passed, so pass `sequenceLogProbs(...).sum` for the summed reading or `.mean`
 * for the token-averaged one (the margin then uses the same values).
 *
 * @param chosen policy log π(y_w) [N]
 * @param rejected policy log π(y_l) [N]
 * @returns a scalar, or [N] with reduction 'none'
 * @see Xu et al., "Contrastive Preference Optimization: Pushing the Boundaries of LLM Performance in Machine Translation", ICML 2024, arXiv:2401.08417
 * @see "Understanding the Logic of Direct Preference Alignment through Logic", 2024 (the catalog's source)
 */
export function cpoLoss(...args: Call<[chosen: Tensor, rejected: Tensor], CpoOptions>): Tensor {
  const [chosen, rejected, { beta, alpha, reduction }] = entry.check(args);
  const pref = logRatioMargin(chosen, rejected).mul(beta).logSigmoid().neg();
  return applyReduction(pref.sub(chosen.mul(alpha)), { reduction });
}

export const entry = defineLoss({
  id: 'cpo',
  fn: cpoLoss,
  args: [
    { name: 'chosen', shape: ['N'], dtype: 'float', domain: 'log-prob' },
    { name: 'rejected', shape: ['N'], dtype: 'float', domain: 'log-prob' },
  ],
  options,
  output: 'per-sample',
  reading: "CPO's published form (reference-free DPO term + α·NLL of the chosen response, α = 1); the NLL is of the log-probability passed (sum or token mean, the caller's choice).",
});
