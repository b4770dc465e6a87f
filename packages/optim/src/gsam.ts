import { dispose, noGrad, tidy, type Tensor } from '@graft/core';
import { checkNonNegative, checkPositive } from './checks.js';
import type { Optimizer, ParamGroup, Params } from './optimizer.js';
import { SAM, type SAMOptions } from './sam.js';
import { globalDot, globalNorm, present } from './tensor-lists.js';
import type { OptimizerClass } from './wrapper.js';

/** GSAM's ρ proportional to the lr: ρ = ρ_min + (ρ_max − ρ_min)·(lr − lr_min)/(lr_max − lr_min). */
export interface RhoSchedule { rhoMin: number; rhoMax: number; lrMin: number; lrMax: number }

export interface GSAMOptions extends SAMOptions {
  /** Weight α of the surrogate-gap term (default 0.4; tuned per task in the paper). Per group. */
  alpha?: number;
  /** Optional ρ schedule that follows each group's lr (applied at every step). */
  rhoSchedule?: RhoSchedule;
}

/**
 * Surrogate-gap guided SAM (GSAM), the sharpness-aware part of RSGS. With g = ∇L(w) and
 * g_p = ∇L(w + e) (e as in SAM), it descends the perturbed loss while shrinking the surrogate gap
 * h = L(w + e) − L(w), using only the component of g orthogonal to g_p:
 *
 *     cos = ⟨g, g_p⟩/(‖g_p‖‖g‖ + ε);   g⊥ = g − cos·‖g‖·g_p/(‖g_p‖ + ε)
 *     w ← w − e  (back from w + e);    base step with g_p − α·g⊥
 *
 * Inner products and norms run over all parameters together, ε = 1e-12, as the official code
 * (juntang-zhuang/GSAM). RSGS's reliable-sample (low-entropy) filtering belongs in the closure's loss.
 *
 * @see Zhuang et al., Surrogate Gap Minimization Improves Sharpness-Aware Training, ICLR 2022, arXiv:2203.08065.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class GSAM<B extends Optimizer<any, any>, O extends object = object> extends SAM<B, O> {
  private readonly rhoSchedule?: RhoSchedule;
  static override readonly groupOptions: readonly string[] = [...SAM.groupOptions, 'alpha'];

  protected override validateOwn(group: ParamGroup): void {
    super.validateOwn(group);
    checkNonNegative(this.label, 'alpha', group.alpha);
  }

  constructor(params: Params<O & GSAMOptions>, Base: OptimizerClass<B, O>, options: GSAMOptions & Partial<O> = {}) {
    const { alpha = 0.4, rhoSchedule, ...rest } = options;
    super(params, Base, rest as SAMOptions & Partial<O>);
    this.defaultOption('alpha', alpha);
    for (const g of this.paramGroups) this.validateOwn(g);
    if (rhoSchedule) {
      for (const k of ['rhoMin', 'rhoMax', 'lrMin'] as const) checkNonNegative(this.label, `rhoSchedule.${k}`, rhoSchedule[k]);
      checkPositive(this.label, 'rhoSchedule.lrMax − lrMin', rhoSchedule.lrMax - rhoSchedule.lrMin);
      this.rhoSchedule = { ...rhoSchedule };
    }
  }

  /** One GSAM step; `closure` computes the loss, calls backward and returns the loss (called at w + e, and at w when no gradient is present). */
  override step<T>(closure: () => T): T {
    if (this.rhoSchedule) {
      const { rhoMin, rhoMax, lrMin, lrMax } = this.rhoSchedule;
      for (const g of this.paramGroups) g.rho = rhoMin + ((rhoMax - rhoMin) * (g.lr - lrMin)) / (lrMax - lrMin);
    }
    const { params, atW: g, loss } = this.gradientsAtBothPoints(closure);
    const gp = params.map((p) => p.grad);
    this.perturbation.remove();
    tidy(() => noGrad(() => {
      const eps = 1e-12;
      const normG = globalNorm(present(g));
      const normGp = globalNorm(present(gp));
      const cosine = (globalDot(g, gp) ?? normG.mul(0)).div(normGp.mul(normG).add(eps));
      const along = cosine.mul(normG).div(normGp.add(eps));
      let i = 0;
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          const [gi, gpi] = [g[i], gp[i]];
          i++;
          if (!gpi) continue;
          const vertical: Tensor = gi ? gi.sub(gpi.mul(along)) : gpi.mul(along).neg();
          p.grad = gpi.sub(vertical.mul(group.alpha as number));
        }
      }
    }));
    dispose(g);
    this.base.step();
    return loss;
  }
}
