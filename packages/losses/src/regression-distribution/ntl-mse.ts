import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { numberTokenTerms, withNumberTerm } from '../parts/regression-number-tokens.js';

const options = {
  p: opt.number(2, 'p: the exponent of |ŷ − v(y)| (2: the MSE version).', '[1, inf)'),
  lambda: opt.number(0.3, 'λ: the weight of the number-token term added to the token cross-entropy.', '[0, inf)'),
};
export type NtlMseOptions = OptionsOf<typeof options>;

/**
 * Number Token Loss, L_p version: the LM regresses the value of number tokens through its own distribution.
 *
 * At each position whose target token is a number token: q = softmax(z[numIds]) (the number tokens only,
 * max-shifted), ŷ = Σ_n q_n·v_n, NTL = |ŷ − v(y)|^p; L = CE + λ·(mean NTL over number positions), CE the token
 * cross-entropy (lse − target logit) averaged over every position. Positions with a non-number target add only CE.
 *
 * @param input LM logits z [B, T, V]
 * @param target target token ids y [B, T] (int32)
 * @param numIds the number tokens' ids [M] (int32; e.g. the digits 0–9)
 * @param numValues their numeric values v [M] (held constant)
 * @returns a scalar (CE and the number term have different denominators, so no per-position reduction)
 * @see Zausinger et al., "Regress, Don't Guess – A Regression-like Loss on Number Tokens for Language Models", ICML 2025, arXiv:2411.02083
 */
export function ntlMseLoss(...args: Call<[input: Tensor, target: Tensor, numIds: Tensor, numValues: Tensor], NtlMseOptions>): Tensor {
  const [input, target, numIds, numValues, { p, lambda }] = entry.check(args);
  const terms = numberTokenTerms(input, target, numIds);
  const v = numValues.detach();
  const err = terms.q.mul(v).sum(-1).sub(terms.t.mul(v).sum(-1)).abs();
  return withNumberTerm(terms, p === 2 ? err.square() : p === 1 ? err : err.pow(p), lambda);
}

export const entry = defineLoss({
  id: 'ntl-mse',
  fn: ntlMseLoss,
  args: [
    { name: 'input', shape: ['B', 'T', 'V'], dtype: 'float', domain: 'logits' },
    { name: 'target', shape: ['B', 'T'], dtype: 'int', domain: 'label', classes: 'V' },
    { name: 'numIds', shape: ['M'], dtype: 'int', domain: 'label', classes: 'V' },
    { name: 'numValues', shape: ['M'], dtype: 'float', domain: 'real', stopGradient: true },
  ],
  options,
  output: 'batch',
});
