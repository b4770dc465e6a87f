import { enableGrad, grad, noGrad, type Tensor } from '@graft/core';
import { checkNonNegative, checkPositive } from './checks.js';
import type { Optimizer, Params } from './optimizer.js';
import { requireGradients, WeightPerturbation } from './perturbation.js';
import { buildBase, OptimizerWrapper, type OptimizerClass } from './wrapper.js';

export interface AWPOptions {
  /** Size γ of the perturbation relative to each weight's norm (default 0.01; 0.005 for TRADES). */
  gamma?: number;
  /** Step size of the proxy's ascent step (default 0.01). */
  proxyLr?: number;
}

/** The weight tensors a weight perturbation acts on: ndim > 1 (biases and norm parameters are left alone). */
export const perturbedWeights = (params: readonly Tensor[]): Tensor[] => params.filter((p) => p.ndim > 1);

/**
 * Adversarial Weight Perturbation, as the official utils_awp.py: one SGD ascent step on a proxy
 * of the model (loss −L_adv, lr proxyLr) gives d = w_proxy − w per weight tensor; each is rescaled
 * to the tensor's own norm, v = ‖w‖/(‖d‖ + 1e-20)·d; then
 *
 *     w ← w + γ·v;   L_adv(w + γv).backward();   base step;   w ← w − γ·v
 *
 * (the same v is subtracted after the step; no saved copy, as the official code). Only tensors
 * with ndim > 1 are perturbed. `step(lossFn, ascentLossFn?)`: lossFn returns the adversarial loss
 * (on x_adv from PGD) at the current weights, without calling backward; ascentLossFn, when given,
 * drives the proxy (TRADES: CE + β·KL). Returns the loss at the perturbed weights.
 *
 * @see Wu, Xia & Wang, Adversarial Weight Perturbation Helps Robust Generalization, NeurIPS 2020, arXiv:2004.05884.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class AWP<B extends Optimizer<any, any>, O extends object = object> extends OptimizerWrapper<B> {
  private readonly perturbation = new WeightPerturbation();
  gamma: number;
  proxyLr: number;

  constructor(params: Params<O & AWPOptions>, Base: OptimizerClass<B, O>, options: AWPOptions & Partial<O> = {}) {
    const { gamma = 0.01, proxyLr = 0.01, ...baseOptions } = options;
    super(buildBase(new.target.name, ['gamma', 'proxyLr'], Base, params, baseOptions));
    checkNonNegative(this.label, 'gamma', gamma);
    checkPositive(this.label, 'proxyLr', proxyLr);
    this.gamma = gamma;
    this.proxyLr = proxyLr;
  }

  /** The layer-wise relative perturbation γ·v for the ascent loss at the current weights. */
  perturbationFor(ascentLossFn: () => Tensor): (Tensor | null)[] {
    const weights = perturbedWeights(this.params());
    const loss = enableGrad(ascentLossFn);
    const grads = grad(loss, weights, { allowUnused: true });
    return noGrad(() => weights.map((w, i) => {
      const g = grads[i];
      if (!g) return null;
      const d = w.add(g.mul(this.proxyLr)).sub(w); // the proxy's SGD step on −L, as a difference
      return d.mul(w.norm().div(d.norm().add(1e-20))).mul(this.gamma);
    }));
  }

  step(lossFn: () => Tensor, ascentLossFn: () => Tensor = lossFn): Tensor {
    const weights = perturbedWeights(this.params());
    this.perturbation.apply(weights, this.perturbationFor(ascentLossFn), { ownOffsets: true });
    const loss = this.perturbation.guard(() => {
      this.zeroGrad();
      const l = enableGrad(lossFn);
      l.backward();
      requireGradients(this.label, this.params(), 'the loss at w + γv');
      this.base.step();
      return l;
    });
    this.perturbation.remove();
    return loss;
  }
}
