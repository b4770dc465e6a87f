import { grad, noGrad, type Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import type { OptionsOf } from '../options.js';

const options = {};
export type CprRejectionOptions = OptionsOf<typeof options>;

/**
 * CPR, the consistent-prediction-based rejection rule: reject an input whose prediction changes under a small
 * adversarial perturbation.
 *
 * rejectᵢ = 1[argmax f(x̃ᵢ) ≠ argmax f(xᵢ)], x̃ = argmax_{‖δ‖∞ ≤ ε₀} CE(f(x + δ), argmax f(x)) found by a few
 * PGD steps (`cprPerturb`, with the model as a callback; ε₀ ≈ ε/4 to ε/2). Training itself is standard
 * adversarial training. Returns 0/1 as the logits' float dtype.
 *
 * @param input logits on x [N, C]
 * @param perturbed logits on x̃ [N, C]
 * @returns [N]: 1 = reject
 * @see Chen et al., "Stratified Adversarial Robustness with Rejection", ICML 2023
 */
export function cprRejection(...args: Call<[input: Tensor, perturbed: Tensor], CprRejectionOptions>): Tensor {
  const [input, perturbed] = entry.check(args);
  return input.argmax(-1).ne(perturbed.argmax(-1)).cast(input.dtype);
}

/**
 * The CPR perturbation: `steps` signed-gradient ascent steps of CE(model(x + δ), argmax model(x)) with δ kept
 * in the ℓ∞ ball of radius eps0 (default 2/255, a quarter of 8/255). Returns x̃ = x + δ (no gradient).
 */
export function cprPerturb(model: (x: Tensor) => Tensor, x: Tensor, { eps0 = 2 / 255, steps = 10, stepSize }: { eps0?: number; steps?: number; stepSize?: number } = {}): Tensor {
  const step = stepSize ?? eps0 / 4;
  const label = noGrad(() => model(x).argmax(-1));
  let delta = x.mul(0);
  for (let s = 0; s < steps; s++) {
    const xd = x.detach().add(delta).requiresGrad_();
    const ce = model(xd).logSoftmax(-1).gather(-1, label.unsqueeze(-1)).neg().sum();
    const [g] = grad(ce, [xd]);
    delta = noGrad(() => delta.add(g!.sign().mul(step)).clamp(-eps0, eps0));
  }
  return noGrad(() => x.add(delta));
}

export const entry = defineLoss({
  id: 'cpr-rejection',
  fn: cprRejection,
  args: [
    { name: 'input', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'perturbed', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
  ],
  options,
  output: 'per-sample',
  nonDifferentiable: 'a hard reject decision (a comparison of two argmaxes): its gradient is zero',
  reading: 'The rule takes the logits on x and on x̃; the ℓ∞ PGD search for x̃ (ε₀ = 2/255, 10 steps of ε₀/4 by default, neither given) is the exported cprPerturb with the model as a callback.',
});
