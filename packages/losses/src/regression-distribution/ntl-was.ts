import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cdfW1 } from '../parts/regression-bins.js';
import { numberTokenTerms, withNumberTerm } from '../parts/regression-number-tokens.js';

const options = {
  lambda: opt.number(0.3, 'λ: the weight of the number-token term added to the token cross-entropy.', '[0, inf)'),
};
export type NtlWasOptions = OptionsOf<typeof options>;

/**
 * Number Token Loss, Wasserstein-1 version: the distance between the LM's distribution over the number tokens and
 * the target's one-hot, over the tokens ordered by value.
 *
 * q = softmax(z[numIds]) (max-shifted), tokens sorted by value v_(1) ≤ … ≤ v_(M); W1 = Σ_{i<M} |F_q(i) − F_t(i)|·
 * (v_(i+1) − v_(i)) (the closed form shared with wasserstein-1-ordinal-bins; for a one-hot t it equals
 * Σ_i q_i·|v_i − v(y)|); L = CE + λ·(mean W1 over number positions), CE the token cross-entropy over every position.
 *
 * @param input LM logits z [B, T, V]
 * @param target target token ids y [B, T] (int32)
 * @param numIds the number tokens' ids [M] (int32)
 * @param numValues their numeric values v [M] (held constant)
 * @returns a scalar
 * @see Zausinger et al., "Regress, Don't Guess – A Regression-like Loss on Number Tokens for Language Models", ICML 2025, arXiv:2411.02083
 */
export function ntlWasLoss(...args: Call<[input: Tensor, target: Tensor, numIds: Tensor, numValues: Tensor], NtlWasOptions>): Tensor {
  const [input, target, numIds, numValues, { lambda }] = entry.check(args);
  const terms = numberTokenTerms(input, target, numIds);
  const { values, indices } = numValues.detach().sort();
  const w1 = cdfW1(terms.q.indexSelect(-1, indices), terms.t.indexSelect(-1, indices), values);
  return withNumberTerm(terms, w1, lambda);
}

export const entry = defineLoss({
  id: 'ntl-was',
  fn: ntlWasLoss,
  args: [
    { name: 'input', shape: ['B', 'T', 'V'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['B', 'T'], dtype: 'int', domain: 'label', classes: 'V' },
    { name: 'numIds', shape: ['M'], dtype: 'int', domain: 'label', classes: 'V' },
    { name: 'numValues', shape: ['M'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'batch',
});
