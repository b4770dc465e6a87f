import type { Tensor } from '@graft/core';
import { checkBoolean, checkNonNegative } from './checks.js';
import { Optimizer, replaceState, type ParamGroup, type ParamState, type Params } from './optimizer.js';

export interface AdagradOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** The lr at step t is lr/(1 + (t − 1)·lrDecay) (default 0). */
  lrDecay: number;
  /** Coupled L2 weight decay λ: g ← g + λ·w (default 0). */
  weightDecay: number;
  /** Starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue: number;
  /** Added after the square root (default 1e-10). */
  eps: number;
  maximize: boolean;
}

export const adagradDefaults: AdagradOptions = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false };

interface AdagradState extends ParamState { step: number; sum: Tensor }

/**
 * AdaGrad, PyTorch's `torch.optim.Adagrad` update:
 *
 *     t ← t + 1;  g ← ∇f(w) (negated when maximize);  g ← g + λ·w
 *     s ← s + g²;  w ← w − lr/(1 + (t − 1)·lrDecay) · g/(√s + ε)
 *
 * @see Duchi, Hazan & Singer, Adaptive Subgradient Methods for Online Learning and Stochastic Optimization, JMLR 2011.
 */
export class Adagrad extends Optimizer<AdagradOptions, AdagradState> {
  constructor(params: Params<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(params, adagradDefaults, options);
  }

  protected override validateGroup(group: ParamGroup<AdagradOptions>, index: number): void {
    super.validateGroup(group, index);
    checkNonNegative(this.label, 'lrDecay', group.lrDecay);
    checkNonNegative(this.label, 'weightDecay', group.weightDecay);
    checkNonNegative(this.label, 'initialAccumulatorValue', group.initialAccumulatorValue);
    checkNonNegative(this.label, 'eps', group.eps);
    checkBoolean(this.label, 'maximize', group.maximize);
  }

  protected initState(p: Tensor, group: ParamGroup<AdagradOptions>): AdagradState {
    return { step: 0, sum: p.fullLike(group.initialAccumulatorValue) };
  }

  protected updateParam(p: Tensor, grad: Tensor, state: AdagradState, group: ParamGroup<AdagradOptions>): void {
    const t = ++state.step;
    let g = group.maximize ? grad.neg() : grad;
    if (group.weightDecay !== 0) g = g.add(p.mul(group.weightDecay));
    const clr = group.lr / (1 + (t - 1) * group.lrDecay);
    state.sum = replaceState(state.sum, state.sum.add(g.mul(g)));
    p.assign(p.sub(g.div(state.sum.sqrt().add(group.eps)).mul(clr)));
  }
}
