import { enableGrad, noGrad, type Tensor } from '@graft/core';
import { checkNonNegative } from './checks.js';
import type { Optimizer, Params } from './optimizer.js';
import { WeightPerturbation } from './perturbation.js';
import { globalNorm, present } from './tensor-lists.js';
import { buildBase, OptimizerWrapper, type OptimizerClass } from './wrapper.js';

/** The two parts of the loss: summed per-sample losses of head and of tail classes, each divided by the batch size. */
export interface HeadTailLoss { head: Tensor; tail: Tensor }

export interface ImbSAMOptions {
  /** Radius ρ of the tail-class perturbation (default 0.05). Per group. */
  rho?: number;
}

/**
 * ImbSAM: class-aware SAM for imbalanced data. Only the tail classes' loss is made flat; the head
 * classes are fitted at w. With L_head, L_tail the sums of the per-sample losses over head and
 * tail samples divided by the batch size B:
 *
 *     e = ρ·∇L_tail(w)/(‖∇L_tail(w)‖₂ + 1e-16)
 *     base step with ∇L_head(w) + ∇L_tail(w + e)      (then w is moved back, w ← w − e, first)
 *
 * `step(lossFn)`: lossFn returns {head, tail} at the current weights (no backward; it is called at
 * w and at w + e). Tail classes are those with fewer than η training samples (η = 20 in the
 * official CIFAR-100-LT script); computing the split is the caller's (a class mask on the losses).
 *
 * @see Zhou et al., ImbSAM: A Closer Look at Sharpness-Aware Minimization in Class-Imbalanced Recognition, ICCV 2023, arXiv:2308.07815.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class ImbSAM<B extends Optimizer<any, any>, O extends object = object> extends OptimizerWrapper<B> {
  private readonly perturbation = new WeightPerturbation();

  constructor(params: Params<O & ImbSAMOptions>, Base: OptimizerClass<B, O>, options: ImbSAMOptions & Partial<O> = {}) {
    const { rho = 0.05, ...baseOptions } = options;
    super(buildBase(new.target.name, ['rho'], Base, params, baseOptions));
    this.defaultOption('rho', rho);
    for (const g of this.paramGroups) checkNonNegative(this.label, 'rho', g.rho);
  }

  /** One ImbSAM step (three backward passes, two forward passes); returns the losses at w. */
  step(lossFn: () => HeadTailLoss): HeadTailLoss {
    const params = this.params();
    this.zeroGrad();
    const losses = enableGrad(lossFn);
    if (losses.head.requiresGrad) losses.head.backward(undefined, { retainGraph: true });
    const gHead = noGrad(() => params.map((p) => (p.grad ? p.grad.clone() : null))); // zeroGrad frees the gradients a tidy moved to their leaves
    this.zeroGrad();
    if (losses.tail.requiresGrad) losses.tail.backward();
    const gTail = params.map((p) => p.grad);
    if (present(gTail).length > 0) {
      const offsets = noGrad(() => {
        const norm = globalNorm(present(gTail)).add(1e-16);
        let i = 0;
        return this.paramGroups.flatMap((group) => group.params.map(() => {
          const g = gTail[i++];
          return g ? g.mul(group.rho as number).div(norm) : null;
        }));
      });
      this.perturbation.apply(params, offsets, { ownOffsets: true });
      this.perturbation.guard(() => {
        this.zeroGrad();
        const perturbed = enableGrad(lossFn).tail;
        if (perturbed.requiresGrad) perturbed.backward();
      });
      this.perturbation.remove();
    }
    noGrad(() => params.forEach((p, i) => {
      const h = gHead[i];
      if (h) p.grad = p.grad ? p.grad.add(h) : h;
    }));
    this.base.step();
    return losses;
  }
}
