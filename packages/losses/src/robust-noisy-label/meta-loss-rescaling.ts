import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import type { OptionsOf } from '../options.js';

const options = {};
export type MetaLossRescalingOptions = OptionsOf<typeof options>;

/**
 * Self-taught on-the-fly meta loss rescaling: the batch loss reweighted by a rescaler network's outputs.
 *
 * L = Σᵢ wᵢ·lᵢ / Σᵢ wᵢ with wᵢ = g_ψ(φᵢ) > 0 computed by the caller from per-sample features φᵢ (loss,
 * confidence, entropy, training dynamics). Gradients reach both the losses (θ) and the weights (ψ).
 * Wiring the meta step: take a virtual SGD step θ′ = θ − η∇_θL (createGraph), evaluate this loss at θ′ on a
 * meta-batch drawn from the noisy training set itself (e.g. its highest-weighted samples), and update ψ by
 * its gradient through θ′ (second order); no clean data is used.
 *
 * @param losses per-sample losses [N]
 * @param weights the rescaler's outputs g_ψ(φᵢ) [N] (positive)
 * @returns a scalar
 * @see "Learning from Noisy Labels via Self-Taught On-the-Fly Meta Loss Rescaling", AAAI 2025
 */
export function metaLossRescaling(...args: Call<[losses: Tensor, weights: Tensor], MetaLossRescalingOptions>): Tensor {
  const [losses, weights] = entry.check(args);
  return losses.mul(weights).sum().div(weights.sum());
}

export const entry = defineLoss({
  id: 'meta-loss-rescaling',
  fn: metaLossRescaling,
  args: [
    { name: 'losses', shape: ['N'], dtype: 'float', domain: 'real' },
    { name: 'weights', shape: ['N'], dtype: 'float', domain: 'positive' },
  ],
  options,
  output: 'batch',
  reading: 'The library part is the weighted mean Σ wᵢlᵢ/Σ wᵢ with the rescaler outputs as a tensor argument; the rescaler network, its features and the unrolled meta update are the training loop\'s (the docs say how to wire them).',
});
