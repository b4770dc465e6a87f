import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  e0Factor: opt.number(0.4, 'E0 = e0Factor·ln C: samples with entropy below it are kept (SAR\'s 0.4).', '[0, inf)'),
};
export type ReliabilityFilteredEntropyMinOptions = OptionsOf<typeof options>;

/**
 * Reliability-filtered entropy minimisation for test-time / source-free adaptation on unlabeled samples.
 *
 * Hᵢ = −Σ_k p_ik·log p_ik with log p from a max-shifted logSoftmax (p·log p → 0 as p → 0, finite at logits of
 * ±1e4); maskᵢ = 1[Hᵢ < E0], E0 = e0Factor·ln C; L = Σᵢ maskᵢ·Hᵢ / max(1, Σᵢ maskᵢ). The mask holds no
 * gradient; unreliable (high-entropy) samples contribute nothing.
 *
 * @param input logits on unlabeled samples [N, C]
 * @returns a scalar
 * @see "Generalized Incremental Learning under Concept Drift across Evolving Data Streams", 2025; the filter of
 *   Niu et al., "Towards Stable Test-Time Adaptation in Dynamic Wild World" (SAR), ICLR 2023
 */
export function reliabilityFilteredEntropyMin(...args: Call<[input: Tensor], ReliabilityFilteredEntropyMinOptions>): Tensor {
  const [input, { e0Factor }] = entry.check(args);
  const logp = input.logSoftmax(-1);
  const h = logp.exp().mul(logp).sum(-1).neg();
  const mask = h.detach().lt(e0Factor * Math.log(input.shape[1])).cast(h.dtype);
  return h.mul(mask).sum().div(mask.sum().clamp(1));
}

export const entry = defineLoss({
  id: 'reliability-filtered-entropy-min',
  fn: reliabilityFilteredEntropyMin,
  args: [{ name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'batch',
  reading: 'The abstract gives no formula: the SAR-style reliable-entropy filter, E0 = 0.4·ln C, mean entropy over the kept samples (0 when none is kept); the sharpness-aware optimiser of the paper is an optimizer concern.',
});
