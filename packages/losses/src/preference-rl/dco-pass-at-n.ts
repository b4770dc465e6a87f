import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { log1mexp } from '../parts/preference.js';
import { maskedSum, tokenMask } from '../parts/tokens.js';

const options = {
  n: opt.integer(16, 'N: the test-time sample budget of pass@N (catalog: 16–256; 16 chosen as the smallest reported). N = 1 is cross-entropy.', '[1, 1024]'),
  reduction: opt.reduction(),
};
export type DcoPassAtNOptions = OptionsOf<typeof options>;

/**
 * Direct Coverage Optimization: the negative log of pass@N coverage of the correct answer, which limits the
 * model's confidence on examples it already gets right.
 *
 * ℓ_seq = Σ_t log p(y_t | ·) over the answer tokens, p = e^ℓ_seq; L = −log(1 − (1 − p)^N). Stable form:
 * L = −log1mexp(N·log1mexp(ℓ_seq)), log1mexp(a) = log(1 − e^a) by log(−expm1(a)) for a > −ln 2 and log1p(−e^a)
 * otherwise. Its gradient is the cross-entropy's times N·p·(1 − p)^{N−1}/(1 − (1 − p)^N), which vanishes on
 * confident examples. ℓ_seq is clamped to ≤ −1e-30 so that p = 1 exactly gives L = 0 with a zero gradient
 * (the limit for N > 1; at N = 1 the true slope there is −1).
 *
 * Reading: the abstract says only "a modified training loss aligned to pass@N"; the formula is the paper body's
 * as the catalog records it.
 *
 * @param logProbs token log-probs of the correct answer [N, T]
 * @param mask optional [N, T] (bool or 0/1): the answer tokens (default all)
 * @returns a scalar, or [N] with reduction 'none'
 * @see "Rethinking Fine-Tuning when Scaling Test-Time Compute: Limiting Confidence Improves Mathematical Reasoning", 2025 (the catalog's source)
 */
export function dcoPassAtNLoss(...args: Call<[logProbs: Tensor, mask?: Tensor], DcoPassAtNOptions>): Tensor {
  const [logProbs, mask, { n, reduction }] = entry.check(args);
  const ell = maskedSum(logProbs, tokenMask(logProbs, mask)).clamp(undefined, -1e-30);
  return applyReduction(log1mexp(log1mexp(ell).mul(n)).neg(), { reduction });
}

export const entry = defineLoss({
  id: 'dco-pass-at-n',
  fn: dcoPassAtNLoss,
  args: [
    { name: 'logProbs', shape: ['N', 'T'], dtype: 'float', domain: 'log-prob' },
    { name: 'mask', shape: ['N', 'T'], dtype: 'bool', domain: 'mask', optional: true, or: { shape: ['N', 'T'], dtype: 'float', domain: 'binary' } },
  ],
  options,
  output: 'per-sample',
  reading: 'L = −log(1 − (1 − p)^N) on the sequence probability of the correct answer (the paper body as recalled by the catalog); proof-tree variants are not built.',
});
