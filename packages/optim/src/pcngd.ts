import { noGrad, tidy, type Tensor } from '@graft/core';
import { checkNonNegative } from './checks.js';
import { checkGradLists } from './multi-loss.js';
import type { Optimizer, Params } from './optimizer.js';
import { SGD } from './sgd.js';
import { globalNorm, present, type GradList } from './tensor-lists.js';
import { buildBase, OptimizerWrapper, type OptimizerClass } from './wrapper.js';

/**
 * Σ_c g_c/(‖g_c‖₂ + ε): the sum of the per-class gradients, each normalised to unit length over
 * all parameters together (a class with no gradient, or a zero one, contributes nothing).
 */
export function perClassNormalizedGradient(classGrads: readonly GradList[], eps = 1e-12): (Tensor | null)[] {
  return tidy(() => noGrad(() => {
    const n = classGrads[0].length;
    const total: (Tensor | null)[] = Array.from({ length: n }, () => null);
    for (const gc of classGrads) {
      const gs = present(gc);
      if (gs.length === 0) continue;
      const scale = globalNorm(gs).add(eps).reciprocal();
      gc.forEach((g, i) => {
        if (!g) return;
        const term = g.mul(scale);
        total[i] = total[i] ? total[i]!.add(term) : term;
      });
    }
    return total;
  }));
}

export interface PCNGDOptions {
  /** Guard of the per-class norms (default 1e-12). */
  eps?: number;
}

/**
 * Per-class normalised gradient descent (PCNGD; PCNSGD on mini-batches): the base optimizer steps
 * with g = Σ_c ∇L_c/(‖∇L_c‖₂ + ε), L_c the loss averaged over the examples of class c, so to first
 * order every class's loss decreases. With the default base SGD this is w ← w − lr·g.
 * `step(classGrads)` takes one gradient list per class present in the batch (`lossGradients`).
 * Reading: norms are global (over all parameters), ε = 1e-12.
 *
 * @see Francazi et al., A Theoretical Analysis of the Learning Dynamics under Class Imbalance, ICML 2023, arXiv:2207.00391.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class PCNGD<B extends Optimizer<any, any> = SGD, O extends object = object> extends OptimizerWrapper<B> {
  /** Guard of the per-class norms (one value: the norms run over all parameters). */
  eps: number;

  constructor(params: Params<O>, Base: OptimizerClass<B, O> = SGD as unknown as OptimizerClass<B, O>, options: PCNGDOptions & Partial<O> = {}) {
    const { eps = 1e-12, ...baseOptions } = options;
    super(buildBase(new.target.name, ['eps'], Base, params, baseOptions));
    checkNonNegative(this.label, 'eps', eps);
    this.eps = eps;
  }

  /** Writes the combined gradient into `.grad` and steps the base optimizer. */
  step(classGrads: readonly GradList[]): void {
    const params = this.params();
    checkGradLists(this.label, classGrads, params.length);
    const g = perClassNormalizedGradient(classGrads, this.eps);
    params.forEach((p, i) => { p.grad = g[i]; });
    this.base.step();
  }
}
