import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';

const options = {
  tau: opt.number(1, 'τ: the largest norm a vector keeps (tuned per dataset for LogitClip; Hyp-OC uses r ≈ 1–2.3).', '(0, inf)'),
  p: opt.number(2, 'p of the ℓp norm.', '[1, inf)'),
  eps: opt.number(1e-12, 'Floor of the norm in the division (a zero vector stays zero).', '(0, inf)'),
};
export type LogitClipOptions = OptionsOf<typeof options>;

/**
 * LogitClip: clamps each vector's ℓp norm to at most τ (a transform; apply any loss to its output).
 *
 * v′ᵢ = vᵢ·min(1, τ / max(‖vᵢ‖_p, ε)). Cross-entropy of clipped logits is bounded, which limits how far noisy
 * labels can pull (memorisation). Differentiable through the scale factor; the norm of ±1e4 logits is finite.
 *
 * @param input vectors [N, D] (logits, or features before a Poincaré exponential map)
 * @returns [N, D]
 * @see Wei et al., "Mitigating Memorization of Noisy Labels by Clipping the Model Prediction", ICML 2023;
 *   Narayan & Patel, "Hyp-OC: Hyperbolic One Class Classification for Face Anti-Spoofing", 2024
 */
export function logitClip(...args: Call<[input: Tensor], LogitClipOptions>): Tensor {
  const [input, { tau, p, eps }] = entry.check(args);
  const norm = input.norm(p, -1, true).clamp(eps);
  return input.mul(norm.reciprocal().mul(tau).clamp(undefined, 1));
}

export const entry = defineLoss({
  id: 'logit-clip',
  fn: logitClip,
  args: [{ name: 'input', shape: ['N', 'D'], dtype: 'float', domain: 'logits' }],
  options,
  output: 'same-as-input',
});
