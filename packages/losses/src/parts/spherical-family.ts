import type { Tensor } from '@graft/core';

/**
 * The spherical family's negative log-likelihood (de Brébisson & Vincent): for positive scores t [N, C] normalised
 * as p = t/Σⱼ tⱼ, ℓᵢ = log Σⱼ tᵢⱼ − log tᵢ_{yᵢ} [N], from logs of the sums (never from the probability).
 */
export function sphericalFamilyNll(t: Tensor, target: Tensor): Tensor {
  return t.sum(1).log().sub(t.gather(1, target.unsqueeze(1)).squeeze(1).log());
}
