import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  c: opt.number(0, 'c of the involution g(u) = (1 − u)/(1 + c·u) (c = 0: 1 − u); c > −1.', '(-1, inf)'),
  normalize: opt.boolean(true, 'Rescale the weights to mean 1 over the batch.'),
};
export type MdiWeightsOptions = OptionsOf<typeof options>;

/**
 * Monotonically Decreasing Involution (MDI) importance weights for imbalanced regression.
 *
 * w(y) = g(ρ(y)), g(u) = (1 − u)/(1 + c·u): decreasing on [0, 1] with g(g(u)) = u and g(0) = 1, g(1) = 0;
 * normalised to mean 1 (a batch whose densities are all 1 has all-zero weights and stays zero). Multiply
 * the weights into a per-sample regression loss. ρ is the training targets' density (a KDE,
 * preprocessing) rescaled to [0, 1].
 *
 * @param density ρ(yᵢ) [N] in [0, 1]
 * @returns the weights [N]
 * @see Nzekwu et al., "Highly Imbalanced Regression with Tabular Data in SEP and Other Applications", 2024
 */
export function mdiWeights(...args: Call<[density: Tensor], MdiWeightsOptions>): Tensor {
  const [density, { c, normalize }] = entry.check(args);
  const w = density.neg().add(1).div(density.mul(c).add(1));
  return normalize ? w.div(w.mean().clamp(1e-12)) : w;
}

export const entry = defineLoss({
  id: 'mdi-weights',
  fn: mdiWeights,
  args: [{ name: 'density', shape: ['N'], dtype: 'float', domain: 'prob' }],
  options,
  output: 'same-as-input',
  reading: 'the involutive family g(u) = (1 − u)/(1 + c·u) (c = 0: 1 − u) of the density, normalised to mean 1 over the batch.',
});
