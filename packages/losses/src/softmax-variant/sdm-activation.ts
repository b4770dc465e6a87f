import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  log: opt.boolean(false, 'Return log SDM(z) (max-shifted logSoftmax: what the NLL needs) instead of SDM(z).'),
};
export type SdmActivationOptions = OptionsOf<typeof options>;

/**
 * SDM (Similarity-Distance-Magnitude) activation: a softmax with base 2 + q and the logits scaled by d, so a sample
 * that is far from the training data (d → 0) or has few correctly predicted neighbours (small q) gets a flatter
 * distribution.
 *
 * SDM(z)_k = (2 + q)^{d·z_k} / Σ_j (2 + q)^{d·z_j} = softmax(β z)_k with β = d·log(2 + q) ≥ 0 per sample; computed as
 * core's max-shifted softmax (logSoftmax for `log`), finite at logits of ±1e4. q and d are data statistics held constant
 * (no gradient reaches them); train with the NLL −log SDM(z)_y (nll-loss on the `log` output).
 *
 * @param z logits [N, K]
 * @param q similarity [N] ≥ 0: the count of consecutive nearest training neighbours that match the prediction and were
 *   predicted correctly
 * @param d distance quantile [N] in [0, 1]: of the distance to the nearest training exemplar, among calibration distances
 * @param opts log (default false)
 * @returns SDM(z) (or its log) [N, K]
 * @see Schmaltz, Similarity-Distance-Magnitude Activations, 2025
 *
 * Reading: the base (2 + q) with exponent d·z, i.e. a softmax at inverse temperature d·log(2 + q); q and d come in as
 * tensors (their kNN and quantile procedures are data pipelines, not tensor ops) and are detached.
 */
export function sdmActivation(...args: Call<[z: Tensor, q: Tensor, d: Tensor], SdmActivationOptions>): Tensor {
  const [z, q, d, { log }] = entry.check(args);
  const beta = d.detach().mul(q.detach().add(2).log()).unsqueeze(-1);
  const scaled = z.mul(beta);
  return log ? scaled.logSoftmax(-1) : scaled.softmax(-1);
}

export const entry = defineLoss({
  id: 'sdm-activation',
  fn: sdmActivation,
  args: [
    { name: 'z', shape: ['N', 'K'], dtype: 'float', domain: 'logits' },
    { name: 'q', shape: ['N'], dtype: 'float', domain: 'nonneg', stopGradient: true },
    { name: 'd', shape: ['N'], dtype: 'float', domain: 'prob', stopGradient: true },
  ],
  options,
  output: 'same-as-input',
  reading: 'SDM(z) = softmax(d·log(2 + q)·z): base 2 + q, exponent d·z; q (the similarity count) and d (the distance quantile) are given as tensors and held constant (their kNN/quantile procedures are data pipelines).',
});
