import { enableGrad, grad, noGrad, type Tensor } from '@graft/core';
import { checkNonNegative, checkPositive, checkPositiveInteger } from './checks.js';
import { perturbedWeights } from './awp.js';
import type { Optimizer, Params } from './optimizer.js';
import { requireGradients, WeightPerturbation } from './perturbation.js';
import { globalNorm } from './tensor-lists.js';
import { buildBase, OptimizerWrapper, type OptimizerClass } from './wrapper.js';

export interface RWPOptions {
  /** Size γ of the perturbation relative to the norm of all weights (default 0.01). */
  gamma?: number;
  /** Loss Stationary Condition: only examples with loss below c_min drive the perturbation (default 1.7). */
  lossThreshold?: number;
  /** Ascent steps on the proxy (default 10). */
  ascentSteps?: number;
  /** Step size of each proxy step (default 0.01). */
  proxyLr?: number;
}

/**
 * Robust Weight Perturbation with the Loss Stationary Condition, as the official utils_rwp.py:
 * starting from d = 0, repeat `ascentSteps` times at w + γ·d̂:
 *
 *     l = per-sample losses;  L = −mean(l·[l < c_min]);  d ← d − proxyLr·∇L
 *     d̂ = d·‖w‖/(‖d‖ + 1e-20)      (one global scale over all weight tensors, unlike AWP's per-layer one)
 *
 * then w ← w + γ·d̂, mean(l).backward(), base step, w ← w − γ·d̂. Only adversarial examples whose
 * loss is still small push the weights, so the perturbation stops feeding on examples that are
 * already misclassified. Only tensors with ndim > 1 are perturbed. `step(lossFn)`: lossFn returns
 * the per-sample adversarial losses at the current weights (no backward). Returns their mean at the
 * perturbed weights.
 *
 * @see Yu et al., Robust Weight Perturbation for Adversarial Training, IJCAI 2022, arXiv:2205.14826.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class RWP<B extends Optimizer<any, any>, O extends object = object> extends OptimizerWrapper<B> {
  private readonly perturbation = new WeightPerturbation();
  gamma: number;
  lossThreshold: number;
  ascentSteps: number;
  proxyLr: number;

  constructor(params: Params<O & RWPOptions>, Base: OptimizerClass<B, O>, options: RWPOptions & Partial<O> = {}) {
    const { gamma = 0.01, lossThreshold = 1.7, ascentSteps = 10, proxyLr = 0.01, ...baseOptions } = options;
    super(buildBase(new.target.name, ['gamma', 'lossThreshold', 'ascentSteps', 'proxyLr'], Base, params, baseOptions));
    checkNonNegative(this.label, 'gamma', gamma);
    checkNonNegative(this.label, 'lossThreshold', lossThreshold);
    checkPositiveInteger(this.label, 'ascentSteps', ascentSteps);
    checkPositive(this.label, 'proxyLr', proxyLr);
    this.gamma = gamma;
    this.lossThreshold = lossThreshold;
    this.ascentSteps = ascentSteps;
    this.proxyLr = proxyLr;
  }

  /** The global relative perturbation γ·d̂ after the ascent steps. */
  perturbationFor(lossFn: () => Tensor): Tensor[] {
    const weights = perturbedWeights(this.params());
    const wNorm = noGrad(() => globalNorm(weights));
    let diff = weights.map((w) => w.zerosLike());
    let scaled = diff;
    for (let k = 0; k < this.ascentSteps; k++) {
      this.perturbation.apply(weights, noGrad(() => scaled.map((d) => d.mul(this.gamma))), { ownOffsets: true });
      const grads = this.perturbation.guard(() => {
        const l = enableGrad(lossFn);
        const mask = noGrad(() => l.lt(this.lossThreshold).cast(l.dtype));
        const loss = enableGrad(() => l.mul(mask).mean().neg());
        return loss.requiresGrad ? grad(loss, weights, { allowUnused: true }) : weights.map(() => null);
      });
      this.perturbation.restore();
      noGrad(() => {
        diff = diff.map((d, i) => (grads[i] ? d.sub(grads[i]!.mul(this.proxyLr)) : d));
        const scale = wNorm.div(globalNorm(diff).add(1e-20));
        scaled = diff.map((d) => d.mul(scale));
      });
    }
    return noGrad(() => scaled.map((d) => d.mul(this.gamma)));
  }

  step(lossFn: () => Tensor): Tensor {
    const weights = perturbedWeights(this.params());
    this.perturbation.apply(weights, this.perturbationFor(lossFn), { ownOffsets: true });
    const loss = this.perturbation.guard(() => {
      this.zeroGrad();
      const l = enableGrad(() => lossFn().mean());
      l.backward();
      requireGradients(this.label, this.params(), 'the loss at w + γd̂');
      this.base.step();
      return l;
    });
    this.perturbation.remove();
    return loss;
  }
}
