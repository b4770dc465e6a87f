import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { deltaLWeights } from '../parts/preference.js';
import { maskedSum, tokenMask } from '../parts/tokens.js';

const options = {
  alpha: opt.number(1, 'α: the length exponent of the weights L_i^{−α}; 1 is minimum-variance unbiased, 0 gives Dr. GRPO\'s 1/G (0.5–1 reported).', '[0, inf)'),
  maxLength: opt.integer(null, 'M: the constant normaliser (the maximum generation length); null: T, the padded length of the call.', '[1, inf)'),
};
export type DeltaLNormalizationOptions = OptionsOf<typeof options>;

/**
 * ΔL normalisation: an aggregation of per-token policy losses that is unbiased and of minimum variance,
 * weighting each response's token sum by a normalised inverse power of its length.
 *
 * S_i = Σ_t m_it·l_it, L_i = Σ_t m_it; x_i = L_i^{−α}/Σ_j L_j^{−α}; L = (1/M)·Σ_i x_i·S_i. The lengths (and so
 * the weights) are constants: no gradient flows through them. The per-token losses are any policy-gradient
 * terms, e.g. the clipped surrogate of grpo (`clippedSurrogate`, parts/preference.ts).
 *
 * Reading: the abstract states only the goal; the weights are the paper body's, as the catalog recalls them.
 *
 * @param tokenLosses per-token policy losses l [G, T]
 * @param mask optional [G, T] (bool or 0/1): the response tokens (default all)
 * @returns a scalar
 * @see "ΔL Normalization: Rethink Loss Aggregation in RLVR", 2025 (the catalog's source)
 */
export function deltaLNormalizationLoss(...args: Call<[tokenLosses: Tensor, mask?: Tensor], DeltaLNormalizationOptions>): Tensor {
  const [tokenLosses, mask, { alpha, maxLength }] = entry.check(args);
  const m = tokenMask(tokenLosses, mask);
  const lengths = m.cast(tokenLosses.dtype).sum(-1);
  const sums = maskedSum(tokenLosses, m);
  return deltaLWeights(lengths, alpha).mul(sums).sum().div(maxLength ?? tokenLosses.shape[1]);
}

export const entry = defineLoss({
  id: 'delta-l-normalization',
  fn: deltaLNormalizationLoss,
  args: [
    { name: 'tokenLosses', shape: ['N', 'T'], dtype: 'float', domain: 'real' },
    { name: 'mask', shape: ['N', 'T'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'T'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'batch',
  reading: 'x_i = L_i^{−α}/Σ_j L_j^{−α} on the masked token sums, divided by a constant M (the paper body as the catalog recalls it).',
});
