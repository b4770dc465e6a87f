import type { Tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { weightLossGradient } from '../parts/weight-loss-gradient.js';

const options = {
  rho: opt.number(0.05, 'ρ: the radius of the ascent step.', '[0, inf)'),
  lossFn: opt.func<(weight: Tensor) => Tensor>('The batch loss as a function of the parameters, L(w) → a scalar; null: the cross-entropy of the linear head, mean over the batch, CE(h·wᵀ, y).'),
  firstOrder: opt.boolean(false, 'Hold the ascent step ε constant (SAM\'s approximation: the gradient is ∇L(w + ε) − ∇L(w)); false: differentiate through ε as well (the exact gradient of L_s).'),
};
export type SamSharpnessTermOptions = OptionsOf<typeof options>;

/**
 * The SAM sharpness ("smoothness") term: how much the batch loss rises after one normalised ascent
 * step of radius ρ, L_s = L(w + ρ·g/‖g‖) − L(w), g = ∇L(w).
 *
 * Two forward and one backward passes. By default the whole expression is differentiated (the gradient of g
 * comes from a second-order pass, so `weight` must be a leaf of the loss); with `firstOrder` ε is held constant
 * as in SAM. Minimise L + L_s (GAQAT) or L(w + ε) = L + L_s (SAM). The model is `lossFn(w)`; by default a linear
 * classifier on fixed features, whose loss is the mean cross-entropy (max-shifted logsumexp).
 *
 * @param weight the parameters w [C, D] (the linear head's weights by default)
 * @param features h [N, D] for the default loss
 * @param target class indices [N] (int32) for the default loss
 * @returns a scalar
 * @see Foret, Kleiner, Mobahi & Neyshabur, "Sharpness-Aware Minimization for Efficiently Improving Generalization",
 *   ICLR 2021; Jiang et al., "GAQAT: gradient-adaptive quantization-aware training for domain generalization", 2024
 */
export function samSharpnessTerm(...args: Call<[weight: Tensor, features: Tensor, target: Tensor], SamSharpnessTermOptions>): Tensor {
  const [weight, features, target, { rho, lossFn, firstOrder }] = entry.check(args);
  const { loss, w, base, g } = weightLossGradient(weight, features, target, lossFn, !firstOrder);
  if (!g) return base.mul(0);
  // ‖g‖ as √(Σg² + 1e-24): a zero gradient (one class, a minimum) gives ε = 0 with a finite second-order gradient.
  const step = g.mul(rho).div(g.square().sum().add(1e-24).sqrt());
  const perturbed = loss(w.add(firstOrder ? step.detach() : step));
  return weight.requiresGrad ? perturbed.sub(base) : perturbed.sub(base).detach();
}

export const entry = defineLoss({
  id: 'sam-sharpness-term',
  fn: samSharpnessTerm,
  args: [
    { name: 'weight', shape: ['C', 'D'], dtype: 'float', domain: 'real' },
    { name: 'features', shape: ['N', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'target', shape: ['N'], dtype: 'int', domain: 'label' },
  ],
  options,
  output: 'batch',
  reading: 'L_s = L(w + ρg/‖g‖) − L(w) for one parameter tensor w and a loss closure (default: the mean CE of a linear head on fixed features), differentiated exactly by default (firstOrder: SAM\'s constant ε); GAQAT\'s freezing of quantiser scale gradients is a training-loop rule, not part of the term.',
});
