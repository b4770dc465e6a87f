/**
 * The loss of a parameter tensor and its gradient, for the regularizers that act through ∇_w L (the SAM
 * sharpness term, the smooth-expert clipping and gradient penalty): the caller's `lossFn(w)`, or by default the
 * mean cross-entropy of a linear head on fixed features, CE(h·wᵀ, y).
 */
import { grad, type Tensor } from '@graft/core';
import { crossEntropy } from '../classification/cross-entropy.js';

export interface WeightLossGradient {
  /** L(·), the loss as a function of the parameters. */
  loss: (w: Tensor) => Tensor;
  /** The parameters the gradient is taken at: `weight` when it requires grad, else a detached copy that does. */
  w: Tensor;
  /** L(w) */
  base: Tensor;
  /** ∇_w L(w), recorded for a second-order pass when asked and `weight` requires grad; null when L does not use w. */
  g: Tensor | null;
}

export function weightLossGradient(weight: Tensor, features: Tensor, target: Tensor, lossFn: ((w: Tensor) => Tensor) | null, createGraph: boolean): WeightLossGradient {
  const loss = lossFn ?? ((w: Tensor) => crossEntropy(features.matmul(w.T), target));
  const w = weight.requiresGrad ? weight : weight.detach().requiresGrad_();
  const base = loss(w);
  const [g] = grad(base, [w], { createGraph: createGraph && weight.requiresGrad, retainGraph: true, allowUnused: true });
  return { loss, w, base, g };
}
