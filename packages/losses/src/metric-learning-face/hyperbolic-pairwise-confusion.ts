import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { safeSqrt } from '../parts/distances.js';
import { expmap0, mobiusAdd } from '../parts/poincare-ball.js';

const options = {
  c: opt.number(1, 'c: the curvature −c of the Poincaré ball; the paper gives no default: 1, the unit ball (hyptorch\'s default).', '(0, inf)'),
  clipR: opt.number(2, 'r: Euclidean feature clipping x ← min(1, r/‖x‖)·x before the exponential map.', '(0, inf)'),
};
export type HyperbolicPairwiseConfusionOptions = OptionsOf<typeof options>;

/**
 * Hyperbolic pairwise confusion (Hyp-PC): the mean Poincaré distance between the two halves of a batch of
 * real-face embeddings, pulling the one class together in hyperbolic space.
 *
 * x ← min(1, r/‖x‖)·x, z = exp₀(x) on the ball of curvature −c; the batch's first and second halves (z_i, w_i),
 * i < ⌊N/2⌋ (an odd last sample is left out); L = mean_i (2/√c)·artanh(√c·‖(−z_i) ⊕_c w_i‖). Numerics: ‖·‖ through
 * a square root with zero slope at 0, artanh's argument clamped to ≤ 1 − 1e-5 (hyptorch's clamp), so coincident
 * points give 0 with a finite gradient; a batch of one has no pair and gives 0.
 *
 * @param embeddings Euclidean features [N, D] of real faces
 * @returns a scalar
 * @see Narayan et al., "Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing", FG 2024, arXiv:2404.14406
 */
export function hyperbolicPairwiseConfusionLoss(...args: Call<[embeddings: Tensor], HyperbolicPairwiseConfusionOptions>): Tensor {
  const [embeddings, { c, clipR }] = entry.check(args);
  const half = Math.floor(embeddings.shape[0] / 2);
  if (half === 0) return embeddings.sum().mul(0);
  const norm = safeSqrt(embeddings.square().sum(-1, true));
  const clipped = embeddings.mul(norm.gt(clipR).where(norm.clamp(clipR).reciprocal().mul(clipR), 1));
  const z = expmap0(clipped, c);
  const diff = mobiusAdd(z.narrow(0, 0, half).neg(), z.narrow(0, half, half), c);
  const arg = safeSqrt(diff.square().sum(-1)).mul(Math.sqrt(c)).clamp(0, 1 - 1e-5);
  return arg.atanh().mul(2 / Math.sqrt(c)).mean();
}

export const entry = defineLoss({
  id: 'hyperbolic-pairwise-confusion',
  fn: hyperbolicPairwiseConfusionLoss,
  args: [{ name: 'embeddings', shape: ['N', 'D'], dtype: 'float', domain: 'real' }],
  options,
  output: 'batch',
  reading: 'The catalog\'s reading with artanh (not the arctan of one code row): clip, exp₀ onto the ball, split the batch into first and second halves, mean Poincaré distance between the paired halves (not squared); c = 1.',
});
