import { linalg, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  statistic: opt.oneOf(['sign-diversity', 'sign-entropy', 'mean-abs'] as const, 'sign-diversity',
    "The alarm statistic of the SA distribution {a_b}: min(frac(a > 0), frac(a < 0)) (→ 0 at collapse), the entropy of the sign histogram in bits, or mean |a_b| (→ 1 at collapse)."),
};
export type SpectralAlignmentOptions = OptionsOf<typeof options>;

/** The SA distribution: a_b = ⟨x_b, v₁⟩ / ‖x_b‖, v₁ the top right-singular vector of W [B] (v₁'s sign is arbitrary). */
export function spectralAlignment(weight: Tensor, input: Tensor): Tensor {
  const v1 = linalg.svd(weight.detach(), { fullMatrices: false }).Vh.slice(0, 0, 1).squeeze(0);
  const x = input.detach();
  return x.matmul(v1).div(x.norm(2, -1).clamp(1e-12));
}

/**
 * Spectral Alignment (SA) monitor: how the layer inputs align with the weight's top right-singular vector; a
 * distribution that loses its sign diversity (all inputs aligned one way) predicts a loss explosion.
 *
 * v₁ = top right-singular vector of W (an exact SVD where the paper uses power iteration, so no iteration
 * count); a_b = ⟨x_b, v₁⟩/‖x_b‖; statistics: sign diversity min(frac(a > 0), frac(a < 0)), the sign entropy
 * −Σ_s p_s log₂ p_s over {a > 0, a < 0}, or mean |a|. Each is invariant to v₁'s arbitrary sign. Reading: the
 * paper's exact alarm statistic is not in the abstract; sign diversity is the default, the alarm threshold the
 * caller's.
 *
 * @param weight the layer's weight W [O, I]
 * @param input the layer's inputs X [B, I]
 * @returns a scalar
 * @see "Spectral Alignment as Predictor of Loss Explosion in Neural Network Training", 2025
 */
export function spectralAlignmentMetric(...args: Call<[weight: Tensor, input: Tensor], SpectralAlignmentOptions>): Tensor {
  const [weight, input, { statistic }] = entry.check(args);
  const a = spectralAlignment(weight, input);
  const pos = a.gt(0).cast(a.dtype).mean();
  const neg = a.lt(0).cast(a.dtype).mean();
  switch (statistic) {
    case 'sign-diversity': return pos.minimum(neg);
    case 'sign-entropy': return pos.xlogy(pos).add(neg.xlogy(neg)).neg().div(Math.LN2);
    case 'mean-abs': return a.abs().mean();
    default: return statistic satisfies never;
  }
}

export const entry = defineLoss({
  id: 'spectral-alignment-metric',
  fn: spectralAlignmentMetric,
  args: [
    { name: 'weight', shape: ['O', 'I'], dtype: 'float', domain: 'real' },
    { name: 'input', shape: ['N', 'I'], dtype: 'float', domain: 'real' },
  ],
  options,
  output: 'batch',
  nonDifferentiable: 'a monitoring statistic of sign counts',
  reading: 'v₁ from an exact SVD; the alarm statistic is the sign diversity min(frac(a > 0), frac(a < 0)) by default (sign entropy and mean |a| as alternatives).',
});
