import { dispose, noGrad, tidy } from '@graft/core';
import { checkRange } from './checks.js';
import type { Optimizer, ParamGroup, Params } from './optimizer.js';
import { SAM, type SAMOptions } from './sam.js';
import type { OptimizerClass } from './wrapper.js';

export interface DGSAMOptions extends SAMOptions {
  /** Weight λ of the sharpness gap (default 1: plain SAM). Per group. */
  gapWeight?: number;
}

/**
 * The smoothness objective of the DG-SAM family (as GAQAT uses it for quantized models):
 * L(w) + λ·(L(w + e) − L(w)), a task loss plus a weighted sharpness gap, e the SAM perturbation.
 * With e's dependence on w dropped, its gradient is (1 − λ)·∇L(w) + λ·∇L(w + e); λ = 1 is SAM,
 * λ = 0 plain descent, λ = 0.5 the average of the clean and perturbed gradients.
 *
 * Reading: the corpus names "SAM/GAM/SAGM-style smoothness losses" without their rules; this is
 * the generic task-plus-gap form. GAM's and SAGM's own updates are not implemented.
 *
 * @see Foret et al., Sharpness-Aware Minimization for Efficiently Improving Generalization, ICLR 2021.
 * @see GAQAT: gradient-adaptive quantization-aware training for domain generalization, 2024.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class DGSAM<B extends Optimizer<any, any>, O extends object = object> extends SAM<B, O> {
  constructor(params: Params<O & DGSAMOptions>, Base: OptimizerClass<B, O>, options: DGSAMOptions & Partial<O> = {}) {
    const { gapWeight = 1, ...rest } = options;
    super(params, Base, rest as SAMOptions & Partial<O>);
    this.defaultOption('gapWeight', gapWeight);
    for (const g of this.paramGroups) this.validateOwn(g);
  }

  static override readonly groupOptions: readonly string[] = [...SAM.groupOptions, 'gapWeight'];

  protected override validateOwn(group: ParamGroup): void {
    super.validateOwn(group);
    checkRange(this.label, 'gapWeight', group.gapWeight, 0, 1, true);
  }

  /** One step; `closure` computes the loss, calls backward and returns the loss (at w + e, and at w when no gradient is present). */
  override step<T>(closure: () => T): T {
    const { atW: g, loss } = this.gradientsAtBothPoints(closure);
    this.perturbation.restore();
    tidy(() => noGrad(() => {
      let i = 0;
      for (const group of this.paramGroups) {
        const lambda = group.gapWeight as number;
        for (const p of group.params) {
          const gi = g[i++];
          if (!p.grad || !gi || lambda === 1) continue;
          p.grad = gi.mul(1 - lambda).add(p.grad.mul(lambda));
        }
      }
    }));
    dispose(g);
    this.base.step();
    return loss;
  }
}
