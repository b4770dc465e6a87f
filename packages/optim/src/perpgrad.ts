import { enableGrad, noGrad, tidy, type Tensor } from '@graft/core';
import { checkBoolean, checkNonNegative } from './checks.js';
import type { Optimizer, ParamGroup, Params } from './optimizer.js';
import { buildBase, OptimizerWrapper, type OptimizerClass } from './wrapper.js';

/**
 * The component of g orthogonal to w, for one parameter tensor (flattened):
 * g⊥ = g − (⟨w, g⟩/(⟨w, w⟩ + ε))·w, rescaled to ‖g‖ when `rescale` (g⊥·‖g‖/(‖g⊥‖ + ε)).
 */
export function orthogonalGradient(w: Tensor, g: Tensor, { eps = 1e-30, rescale = true } = {}): Tensor {
  return tidy(() => noGrad(() => {
    const proj = w.mul(g).sum().div(w.mul(w).sum().add(eps));
    const perp = g.sub(w.mul(proj));
    return rescale ? perp.mul(g.norm().div(perp.norm().add(eps))) : perp;
  }));
}

export interface PerpGradOptions {
  /** Guard of the projections (default 1e-30). */
  eps?: number;
  /** Rescale g⊥ to the norm of g, as the official orthograd.py (default true). */
  rescale?: boolean;
}

/**
 * ⊥Grad (perpGrad, OrthoGrad): before each base step, every parameter tensor's gradient loses its
 * component along the tensor itself, g ← g⊥ (rescaled to ‖g‖). This removes naive loss
 * minimisation, the direction that only scales the weights (and the logits) up and drives
 * Softmax Collapse, so grokking happens without it. Per parameter tensor, as the official code.
 *
 * @see Prieto et al., Grokking at the Edge of Numerical Stability, ICLR 2025, arXiv:2501.04697.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class PerpGrad<B extends Optimizer<any, any>, O extends object = object> extends OptimizerWrapper<B> {
  constructor(params: Params<O & PerpGradOptions>, Base: OptimizerClass<B, O>, options: PerpGradOptions & Partial<O> = {}) {
    const { eps = 1e-30, rescale = true, ...baseOptions } = options;
    super(buildBase(new.target.name, ['eps', 'rescale'], Base, params, baseOptions));
    this.defaultOption('eps', eps);
    this.defaultOption('rescale', rescale);
    for (const g of this.paramGroups) {
      checkNonNegative(this.label, 'eps', g.eps);
      checkBoolean(this.label, 'rescale', g.rescale);
    }
  }

  /** Projects every `.grad`, then steps the base optimizer (a closure runs first, as in Optimizer.step). */
  step<T = unknown>(closure?: () => T): T | undefined {
    const loss = closure ? enableGrad(closure) : undefined;
    this.project();
    this.base.step();
    return loss;
  }

  /** Replaces every `.grad` by its component orthogonal to its parameter. */
  project(): void {
    for (const g of this.paramGroups as ParamGroup[]) {
      for (const p of g.params) {
        if (p.grad) p.grad = orthogonalGradient(p, p.grad, { eps: g.eps as number, rescale: g.rescale as boolean });
      }
    }
  }
}
