import { ArgumentError, AutogradError, div, enableGrad, noGrad, tidy, type Tensor } from '@graft/core';
import { checkBoolean, checkNonNegative } from './checks.js';
import type { Optimizer, ParamGroup, Params } from './optimizer.js';
import { requireGradients, WeightPerturbation } from './perturbation.js';
import { globalNorm } from './tensor-lists.js';
import { buildBase, OptimizerWrapper, type OptimizerClass } from './wrapper.js';

export interface SAMOptions {
  /** Radius ρ of the neighbourhood (default 0.05; ASAM's authors use 2.0 with adaptive). Per group, mutable. */
  rho?: number;
  /** ASAM: scale the neighbourhood by |w| (default false). Per group. */
  adaptive?: boolean;
}

function checkSamOptions(owner: string, group: ParamGroup): void {
  checkNonNegative(owner, 'rho', group.rho);
  checkBoolean(owner, 'adaptive', group.adaptive);
}

/**
 * The ascent direction of SAM/ASAM for the gradients currently in `.grad`:
 * e = ρ·g/(‖g‖₂ + 1e-12), or (adaptive) e = ρ·w²·g/(‖|w|·g‖₂ + 1e-12), the norm taken over all
 * parameters together. One entry per parameter of `groups` (null where there is no gradient).
 */
export function samAscent(groups: readonly ParamGroup[], eps = 1e-12): (Tensor | null)[] {
  return tidy(() => noGrad(() => {
    const entries = groups.flatMap((g) => g.params.filter((p) => p.grad).map((p) => ({ p, g: p.grad!, group: g })));
    if (entries.length === 0) throw new AutogradError('SAM', 'no parameter has a gradient; call loss.backward() before firstStep()');
    const norm = globalNorm(entries.map(({ p, g, group }) => (group.adaptive ? p.abs().mul(g) : g)));
    const es = new Map(entries.map(({ p, g, group }) => {
      const scale = div(group.rho as number, norm.add(eps));
      return [p, group.adaptive ? p.mul(p).mul(g).mul(scale) : g.mul(scale)] as const;
    }));
    return groups.flatMap((g) => g.params.map((p) => es.get(p) ?? null));
  }));
}

/**
 * Sharpness-Aware Minimization around any base optimizer (and ASAM with `adaptive: true`).
 * It minimises max over ‖e‖₂ ≤ ρ of L(w + e), with the first-order inner solution
 *
 *     e = ρ·g/(‖g‖₂ + 1e-12)                     (SAM; ‖·‖ over all parameters together)
 *     e = ρ·w²·g/(‖|w|·g‖₂ + 1e-12)               (ASAM: T_w = |w|, e = ρ·T_w²g/‖T_w g‖)
 *
 * then restores w exactly and lets the base optimizer step with the gradient taken at w + e
 * (the derivative of e(w) is dropped). Two forward/backward passes per step:
 *
 *     loss(model).backward(); sam.firstStep(true);    // to w + e, grads cleared
 *     loss(model).backward(); sam.secondStep(true);   // back to w, base step with ∇L(w + e)
 *
 * or `sam.step(closure)` with a closure that computes the loss, calls backward and returns the
 * loss. The base optimizer shares the parameter groups, so schedulers may target `sam` or
 * `sam.base`; `rho` and `adaptive` are per-group options like `lr`.
 *
 * @see Foret et al., Sharpness-Aware Minimization for Efficiently Improving Generalization, ICLR 2021, arXiv:2010.01412.
 * @see Kwon et al., ASAM: Adaptive Sharpness-Aware Minimization for Scale-Invariant Learning of Deep Neural Networks, ICML 2021, arXiv:2102.11600.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class SAM<B extends Optimizer<any, any>, O extends object = object> extends OptimizerWrapper<B> {
  protected readonly perturbation = new WeightPerturbation();

  constructor(params: Params<O & SAMOptions>, Base: OptimizerClass<B, O>, options: SAMOptions & Partial<O> = {}) {
    const { rho = 0.05, adaptive = false, ...baseOptions } = options;
    super(buildBase(new.target.name, (new.target as unknown as typeof SAM).groupOptions, Base, params, baseOptions));
    this.defaultOption('rho', rho);
    this.defaultOption('adaptive', adaptive);
    for (const g of this.paramGroups) checkSamOptions(this.label, g);
  }

  /** The per-group options SAM adds to its base's groups (a variant extends the list with its own). */
  static readonly groupOptions: readonly string[] = ['rho', 'adaptive'];

  /** Checks the base's options and SAM's own, in every group (at construction and at every step: a scheduler may edit them). */
  protected checkGroups(where = 'step'): void {
    this.base.checkGroups(where);
    for (const g of this.paramGroups) this.validateOwn(g);
  }

  /** SAM's own per-group options (a variant adds its own checks and calls super). */
  protected validateOwn(group: ParamGroup): void {
    checkSamOptions(this.label, group);
  }

  /** Moves every parameter with a gradient to w + e(w); optionally clears the gradients. */
  firstStep(zeroGrad = false): void {
    if (this.perturbation.active) throw new ArgumentError(this.label, 'firstStep called twice without secondStep');
    this.checkGroups();
    this.perturbation.apply(this.params(), samAscent(this.paramGroups), { ownOffsets: true });
    if (zeroGrad) this.zeroGrad();
  }

  /** Restores w exactly and steps the base optimizer with the gradients now in `.grad` (taken at w + e). */
  secondStep(zeroGrad = false): void {
    if (!this.perturbation.active) throw new ArgumentError(this.label, 'secondStep called without firstStep');
    this.perturbation.restore();
    this.base.step();
    if (zeroGrad) this.zeroGrad();
  }

  /**
   * For variants that combine both gradients (GSAM, DG-SAM): evaluates `closure` at w if no
   * gradient is present yet, keeps ∇L(w), moves to w + e and evaluates `closure` there. The
   * perturbation stays applied (the caller restores it) and `.grad` holds ∇L(w + e). `atW` holds
   * copies (firstStep's zeroGrad frees the gradients themselves when a tidy moved them to their leaves).
   */
  protected gradientsAtBothPoints<T>(closure: () => T): { params: Tensor[]; atW: (Tensor | null)[]; loss: T } {
    const params = this.params();
    this.gradientsAtW(closure);
    const atW = noGrad(() => params.map((p) => (p.grad ? p.grad.clone() : null)));
    this.firstStep(true);
    return { params, atW, loss: this.perturbation.guard(() => this.closureAtPerturbed(closure)) };
  }

  /** Evaluates `closure` at w when no parameter has a gradient yet; it must produce some. */
  private gradientsAtW(closure: () => unknown): void {
    if (this.params().some((p) => p.grad)) return;
    enableGrad(closure);
    requireGradients(this.label, this.params(), 'the closure (at w)');
  }

  /** Evaluates `closure` at w + e (the gradients were cleared by firstStep); it must produce some. */
  private closureAtPerturbed<T>(closure: () => T): T {
    const loss = enableGrad(closure);
    requireGradients(this.label, this.params(), 'the closure (at w + e)');
    return loss;
  }

  /**
   * Both steps. `closure` computes the loss, calls backward and returns the loss; it is called at
   * w + e (and first at w too when no parameter has a gradient yet). Returns the loss at w + e.
   */
  step<T>(closure: () => T): T {
    if (typeof closure !== 'function') {
      throw new ArgumentError(this.label, 'step needs a closure that computes the loss, calls backward() and returns the loss');
    }
    this.gradientsAtW(closure);
    this.firstStep(true);
    // A throwing closure (or one that produced no gradients) leaves the weights at w, not at w + e.
    return this.perturbation.guard(() => {
      const loss = this.closureAtPerturbed(closure);
      this.secondStep();
      return loss;
    });
  }
}
