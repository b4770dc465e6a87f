import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { applyReduction } from '../reduce.js';
import { l2Normalize } from '../parts/distances.js';

const options = {
  weight: opt.number(1, 'The weight of the scattering term (not given: 1; SGRL adds a topology-alignment term beside it).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type HypersphericalScatteringOptions = OptionsOf<typeof options>;

/**
 * The scattering centre's EMA step c ← μ·c + (1 − μ)·mean_i l2_normalize(h_i), detached (a momentum of 0 uses the
 * batch mean; the catalog gives no momentum, 0.9 is a common choice).
 */
export function scatteringCenterUpdate(center: Tensor, embeddings: Tensor, momentum = 0.9): Tensor {
  return center.detach().mul(momentum).add(l2Normalize(embeddings.detach()).mean(0).mul(1 - momentum));
}

/**
 * Hyperspherical representation scattering: push the normalised embeddings away from their centre, with no
 * negatives.
 *
 * ĥ_i = l2_normalize(h_i), c = mean_i ĥ_i (in-batch, with gradient) or a given centre (an EMA, detached);
 * ℓᵢ = −w·‖ĥ_i − c‖². With the in-batch centre mean ℓ = −w·(1 − ‖c‖²) on the sphere, i.e. minimising ‖c‖².
 *
 * @param input node embeddings H [N, D]
 * @param center the scattered centre [D] (optional, no gradient reaches it; `scatteringCenterUpdate` keeps it as an EMA)
 * @returns a scalar, or [N] with reduction 'none'
 * @see "Transferable Parasitic Estimation via Graph Contrastive Learning and Label Rebalancing in AMS Circuits", 2025;
 *   He et al., "Exploitation of a Latent Mechanism in Graph Contrastive Learning: Representation Scattering", NeurIPS 2024
 */
export function hypersphericalScatteringLoss(...args: Call<[input: Tensor, center?: Tensor], HypersphericalScatteringOptions>): Tensor {
  const [input, center, { weight, reduction }] = entry.check(args);
  const h = l2Normalize(input);
  const c = center ? center.detach() : h.mean(0);
  return applyReduction(h.sub(c).square().sum(-1).mul(-weight), { reduction });
}

export const entry = defineLoss({
  id: 'hyperspherical-scattering',
  fn: hypersphericalScatteringLoss,
  args: [
    { name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'center', shape: ['D'], dtype: 'float', domain: 'real', optional: true, stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: 'The scattering term alone: −‖ĥ_i − c‖² with the in-batch mean as centre by default, or a caller-kept EMA centre (detached); the topology-invariance alignment term is a separate loss.',
});
