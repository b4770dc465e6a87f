import type { Tensor } from '@graft/core';
import { checkBoolean, checkNonNegative } from './checks.js';
import { Optimizer, replaceState, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { ArgumentError } from '@graft/core';

export interface SGDOptions {
  /** Learning rate (default 1e-3, as current PyTorch). */
  lr: number;
  /** Heavy-ball momentum μ (default 0: plain SGD). */
  momentum: number;
  /** Dampening τ of the gradient in the momentum buffer (default 0). */
  dampening: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** Coupled L2 weight decay λ: adds λ·w to the gradient (default 0). */
  weightDecay: number;
  /** Ascend instead of descend (default false). */
  maximize: boolean;
}

export const sgdDefaults: SGDOptions = { lr: 1e-3, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false };

interface SGDState extends ParamState { momentumBuffer: Tensor | null }

/**
 * Stochastic gradient descent with momentum, PyTorch's `torch.optim.SGD` update in its order:
 *
 *     g ← ∇f(w)            (−∇f(w) when maximize)
 *     g ← g + λ·w          (weightDecay λ ≠ 0)
 *     b ← g                on the first step (no dampening),  b ← μ·b + (1 − τ)·g  after
 *     g ← g + μ·b          (nesterov)   or   g ← b
 *     w ← w − lr·g
 *
 * The buffer starts as the raw gradient, so this is PyTorch's form v ← μv + g, w ← w − lr·v, which
 * differs from Sutskever's v ← μv + lr·g only when lr changes between steps.
 *
 * @see Sutskever et al., On the importance of initialization and momentum in deep learning, ICML 2013.
 */
export class SGD extends Optimizer<SGDOptions, SGDState> {
  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> = {}) {
    super(params, sgdDefaults, options);
  }

  protected override validateGroup(group: ParamGroup<SGDOptions>, index: number): void {
    super.validateGroup(group, index);
    checkNonNegative(this.label, 'momentum', group.momentum);
    checkNonNegative(this.label, 'dampening', group.dampening);
    checkNonNegative(this.label, 'weightDecay', group.weightDecay);
    checkBoolean(this.label, 'nesterov', group.nesterov);
    checkBoolean(this.label, 'maximize', group.maximize);
    if (group.nesterov && (group.momentum <= 0 || group.dampening !== 0)) {
      throw new ArgumentError(this.label, `nesterov needs momentum > 0 and dampening 0, got momentum ${group.momentum} and dampening ${group.dampening}`);
    }
  }

  protected initState(): SGDState { return { momentumBuffer: null }; }

  protected updateParam(p: Tensor, grad: Tensor, state: SGDState, group: ParamGroup<SGDOptions>): void {
    const { lr, momentum, dampening, nesterov, weightDecay, maximize } = group;
    let g = maximize ? grad.neg() : grad;
    if (weightDecay !== 0) g = g.add(p.mul(weightDecay));
    if (momentum !== 0) {
      const prev = state.momentumBuffer;
      const buf = state.momentumBuffer = replaceState(prev, prev === null ? g.clone() : prev.mul(momentum).add(g.mul(1 - dampening)));
      g = nesterov ? g.add(buf.mul(momentum)) : buf;
    }
    p.assign(p.sub(g.mul(lr)));
  }
}
