import type { Tensor } from '@graft/core';
import { checkBetas, checkBoolean, checkNonNegative, checkOneOf } from './checks.js';
import { Optimizer, replaceState, type ParamGroup, type ParamState, type Params } from './optimizer.js';

/**
 * How `weightDecay` λ acts:
 * - `'l2'`: coupled L2, g ← g + λ·w before the moments (Adam);
 * - `'decoupled'`: w ← w·(1 − lr·λ) before the moments (AdamW);
 * - `'independent'`: w ← w·(1 − (lr/lr₀)·λ), lr₀ the group's peak lr (`maxLr`, else `initialLr`, else
 *   the lr at construction), so the decay follows the schedule's shape but not the peak lr
 *   (Wortsman et al.'s "independent" weight decay).
 */
export type WeightDecayMode = 'l2' | 'decoupled' | 'independent';

export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates (β₁, β₂) of the first and second moments (default [0.9, 0.999]); mutable per group. */
  betas: [number, number];
  /** Added to the denominator after the bias-corrected square root (default 1e-8). */
  eps: number;
  /** Weight decay λ (default 0 for Adam, 1e-2 for AdamW); see `weightDecayMode`. */
  weightDecay: number;
  /** Divide by the running maximum of the second moment (Reddi et al.'s AMSGrad). */
  amsgrad: boolean;
  /** Ascend instead of descend. */
  maximize: boolean;
  /** 'l2' for Adam, 'decoupled' for AdamW; see {@link WeightDecayMode}. */
  weightDecayMode: WeightDecayMode;
}

export const adamDefaults: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, weightDecayMode: 'l2' };
export const adamWDefaults: AdamOptions = { ...adamDefaults, weightDecay: 1e-2, weightDecayMode: 'decoupled' };

interface AdamState extends ParamState {
  step: number;
  expAvg: Tensor;
  expAvgSq: Tensor;
  maxExpAvgSq: Tensor | null;
}

/**
 * Adam, PyTorch's `torch.optim.Adam` / `AdamW` update (the single-tensor path) in its order:
 *
 *     g ← ∇f(w)  (negated when maximize);  t ← t + 1
 *     g ← g + λ·w                      ('l2')     or   w ← w·(1 − lr·λ)  ('decoupled', AdamW)
 *     m ← β₁·m + (1 − β₁)·g;   v ← β₂·v + (1 − β₂)·g²
 *     v̂ ← max(v̂, v) (amsgrad: the max of the raw v, not of the bias-corrected one)
 *     w ← w − (lr / (1 − β₁ᵗ)) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
 *
 * ε is added after the bias-corrected square root. Adam and AdamW are one class: AdamW only
 * changes the defaults (`weightDecay: 1e-2, weightDecayMode: 'decoupled'`).
 *
 * @see Kingma & Ba, Adam: A Method for Stochastic Optimization, ICLR 2015, arXiv:1412.6980.
 * @see Loshchilov & Hutter, Decoupled Weight Decay Regularization, ICLR 2019, arXiv:1711.05101.
 * @see Reddi et al., On the Convergence of Adam and Beyond, ICLR 2018 (AMSGrad).
 * @see Wortsman et al., Small-scale proxies for large-scale Transformer training instabilities, 2023, arXiv:2309.14322 ('independent').
 */
export class Adam extends Optimizer<AdamOptions, AdamState> {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}, defaults: AdamOptions = adamDefaults) {
    super(params, defaults, options);
  }

  protected override validateGroup(group: ParamGroup<AdamOptions>, index: number): void {
    super.validateGroup(group, index);
    checkBetas(this.label, 'betas', group.betas);
    checkNonNegative(this.label, 'eps', group.eps);
    checkNonNegative(this.label, 'weightDecay', group.weightDecay);
    checkBoolean(this.label, 'amsgrad', group.amsgrad);
    checkBoolean(this.label, 'maximize', group.maximize);
    checkOneOf(this.label, 'weightDecayMode', group.weightDecayMode, ['l2', 'decoupled', 'independent']);
    if (group.weightDecayMode === 'independent') group.initialLr ??= group.lr;
  }

  protected initState(p: Tensor, group: ParamGroup<AdamOptions>): AdamState {
    return { step: 0, expAvg: p.zerosLike(), expAvgSq: p.zerosLike(), maxExpAvgSq: group.amsgrad ? p.zerosLike() : null };
  }

  protected updateParam(p: Tensor, grad: Tensor, state: AdamState, group: ParamGroup<AdamOptions>): void {
    const { lr, betas: [beta1, beta2], eps, weightDecay, amsgrad, maximize, weightDecayMode } = group;
    let g = maximize ? grad.neg() : grad;
    const t = ++state.step;
    let w = p as Tensor;
    if (weightDecay !== 0) {
      if (weightDecayMode === 'l2') g = g.add(p.mul(weightDecay));
      else {
        const peak = weightDecayMode === 'independent' ? Number(group.maxLr ?? group.initialLr ?? lr) : 1;
        w = p.mul(1 - (lr / peak) * weightDecay);
      }
    }
    state.expAvg = replaceState(state.expAvg, state.expAvg.mul(beta1).add(g.mul(1 - beta1)));
    state.expAvgSq = replaceState(state.expAvgSq, state.expAvgSq.mul(beta2).add(g.mul(g).mul(1 - beta2)));
    let second = state.expAvgSq;
    if (amsgrad) second = state.maxExpAvgSq = replaceState(state.maxExpAvgSq, (state.maxExpAvgSq ?? p.zerosLike()).maximum(state.expAvgSq));
    const stepSize = lr / (1 - beta1 ** t);
    const denom = second.sqrt().div(Math.sqrt(1 - beta2 ** t)).add(eps);
    p.assign(w.sub(state.expAvg.div(denom).mul(stepSize)));
  }
}

/**
 * AdamW: {@link Adam} with decoupled weight decay w ← w·(1 − lr·λ), default λ = 1e-2 (PyTorch's
 * `torch.optim.AdamW`). Pass `weightDecayMode: 'independent'` for decay that follows the lr
 * schedule's shape but not its peak.
 */
export class AdamW extends Adam {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, options, adamWDefaults);
  }
}
