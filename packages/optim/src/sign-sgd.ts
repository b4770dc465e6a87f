import type { Tensor } from '@graft/core';
import { checkRange } from './checks.js';
import { Optimizer, replaceState, type ParamGroup, type ParamState, type Params } from './optimizer.js';

export interface SignSGDOptions {
  /** Step size (no documented default; 1e-3 here, like SGD). */
  lr: number;
  /** β of the signum momentum m ← β·m + (1 − β)·g (default 0: plain sign descent). */
  momentum: number;
}

export const signSGDDefaults: SignSGDOptions = { lr: 1e-3, momentum: 0 };

interface SignSGDState extends ParamState { momentumBuffer: Tensor | null }

/**
 * Sign descent (signSGD), and signum with momentum:
 *
 *     w ← w − lr·sign(g)                                  (momentum 0; sign(0) = 0)
 *     m ← β·m + (1 − β)·g,  w ← w − lr·sign(m)            (signum; m starts at 0)
 *
 * Adam with β₁ = β₂ = 0 and ε = 0 takes exactly these steps where g ≠ 0.
 *
 * @see Bernstein et al., signSGD: Compressed Optimisation for Non-Convex Problems, ICML 2018, arXiv:1802.04434.
 * @see Kunstner et al., Heavy-Tailed Class Imbalance and Why Adam Outperforms Gradient Descent on Language Models, NeurIPS 2024.
 */
export class SignSGD extends Optimizer<SignSGDOptions, SignSGDState> {
  constructor(params: Params<SignSGDOptions>, options: Partial<SignSGDOptions> = {}) {
    super(params, signSGDDefaults, options);
  }

  protected override validateGroup(group: ParamGroup<SignSGDOptions>, index: number): void {
    super.validateGroup(group, index);
    checkRange(this.label, 'momentum', group.momentum, 0, 1);
  }

  protected initState(): SignSGDState { return { momentumBuffer: null }; }

  protected updateParam(p: Tensor, grad: Tensor, state: SignSGDState, group: ParamGroup<SignSGDOptions>): void {
    let direction = grad;
    if (group.momentum !== 0) {
      const m = state.momentumBuffer ?? p.zerosLike();
      direction = state.momentumBuffer = replaceState(state.momentumBuffer, m.mul(group.momentum).add(grad.mul(1 - group.momentum)));
    }
    p.assign(p.sub(direction.sign().mul(group.lr)));
  }
}
