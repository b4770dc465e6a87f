import type { Tensor } from '@graft/core';
import { checkBoolean, checkNonNegative, checkPositive, checkRange } from './checks.js';
import { Optimizer, replaceState, type ParamGroup, type ParamState, type Params } from './optimizer.js';

export interface AdafactorOptions {
  /**
   * With relativeStep, the cap on the relative step size ρ_t = min(lr, 1/√t) (default 1e-2, which
   * is HuggingFace's fixed cap); without it, the step size itself.
   */
  lr: number;
  /** Added to g² before the second-moment averages (default 1e-30). */
  eps1: number;
  /** Floor of the parameter scale max(eps2, RMS(w)) (default 1e-3). */
  eps2: number;
  /** Updates are scaled down to RMS ≤ clipThreshold (default 1). */
  clipThreshold: number;
  /** β₂ at step t is 1 − t^decayRate (default −0.8). */
  decayRate: number;
  /** Cap on β₂_t (default 1: none; SigLIP-style training lowers it, e.g. 0.95). */
  maxBeta2: number;
  /** First-moment coefficient, or null for none (default null). */
  beta1: number | null;
  /** Decoupled decay w ← w − weightDecay·α_t·w (default 0). */
  weightDecay: number;
  /** Use the relative step ρ_t = min(lr, 1/√t) instead of lr (default true). */
  relativeStep: boolean;
  /** Multiply the step by max(eps2, RMS(w)) (default true). */
  scaleParameter: boolean;
  /** With relativeStep, warm up ρ_t = min(1e-6·t, 1/√t) (default false). */
  warmupInit: boolean;
}

export const adafactorDefaults: AdafactorOptions = {
  lr: 1e-2, eps1: 1e-30, eps2: 1e-3, clipThreshold: 1, decayRate: -0.8, maxBeta2: 1, beta1: null,
  weightDecay: 0, relativeStep: true, scaleParameter: true, warmupInit: false,
};

interface AdafactorState extends ParamState {
  step: number;
  expAvgSqRow: Tensor | null;
  expAvgSqCol: Tensor | null;
  expAvgSq: Tensor | null;
  expAvg: Tensor | null;
}

const rms = (x: Tensor): Tensor => x.square().mean().sqrt();

/**
 * Adafactor: Adam-like steps with factored second moments (the HuggingFace implementation's
 * order). For a parameter with ≥ 2 dims (factored over the last two), gradient G:
 *
 *     β₂ ← min(1 − t^decayRate, maxBeta2)
 *     R ← β₂R + (1 − β₂)·rowmean(G² + ε₁);   C ← β₂C + (1 − β₂)·colmean(G² + ε₁)
 *     U ← G / √(R Cᵀ / mean(R))             (vectors keep an unfactored v instead)
 *     U ← U / max(1, RMS(U)/clipThreshold)
 *     α ← max(ε₂, RMS(w))·ρ_t  (scaleParameter),  ρ_t = min(lr, 1/√t) (relativeStep) or lr
 *     M ← β₁M + (1 − β₁)·α·U  (when beta1 is set);   w ← w − weightDecay·α·w − (M or α·U)
 *
 * @see Shazeer & Stern, Adafactor: Adaptive Learning Rates with Sublinear Memory Cost, ICML 2018, arXiv:1804.04235.
 * @see Zhai et al., Sigmoid Loss for Language Image Pre-Training, ICCV 2023 (trains with a β₂-capped Adafactor).
 */
export class Adafactor extends Optimizer<AdafactorOptions, AdafactorState> {
  constructor(params: Params<AdafactorOptions>, options: Partial<AdafactorOptions> = {}) {
    super(params, adafactorDefaults, options);
  }

  protected override validateGroup(group: ParamGroup<AdafactorOptions>, index: number): void {
    super.validateGroup(group, index);
    checkNonNegative(this.label, 'eps1', group.eps1);
    checkNonNegative(this.label, 'eps2', group.eps2);
    checkPositive(this.label, 'clipThreshold', group.clipThreshold);
    checkRange(this.label, 'decayRate', group.decayRate, -1, 0, true);
    checkRange(this.label, 'maxBeta2', group.maxBeta2, 0, 1, true);
    if (group.beta1 !== null) checkRange(this.label, 'beta1', group.beta1, 0, 1);
    checkNonNegative(this.label, 'weightDecay', group.weightDecay);
    for (const k of ['relativeStep', 'scaleParameter', 'warmupInit'] as const) checkBoolean(this.label, k, group[k]);
  }

  protected initState(p: Tensor): AdafactorState {
    const factored = p.ndim >= 2;
    return {
      step: 0,
      expAvgSqRow: factored ? p.newZeros(p.shape.slice(0, -1)) : null,
      expAvgSqCol: factored ? p.newZeros([...p.shape.slice(0, -2), p.shape[p.ndim - 1]]) : null,
      expAvgSq: factored ? null : p.zerosLike(),
      expAvg: null,
    };
  }

  protected updateParam(p: Tensor, grad: Tensor, state: AdafactorState, group: ParamGroup<AdafactorOptions>): void {
    const t = ++state.step;
    const rel = group.relativeStep ? Math.min(group.warmupInit ? 1e-6 * t : group.lr, 1 / Math.sqrt(t)) : group.lr;
    const alpha = group.scaleParameter ? rms(p).clamp(group.eps2).mul(rel) : rel;
    const beta2 = Math.min(1 - t ** group.decayRate, group.maxBeta2);
    const sq = grad.square().add(group.eps1);
    let u: Tensor;
    if (state.expAvgSqRow && state.expAvgSqCol) {
      const row = state.expAvgSqRow = replaceState(state.expAvgSqRow, state.expAvgSqRow.mul(beta2).add(sq.mean(-1).mul(1 - beta2)));
      const col = state.expAvgSqCol = replaceState(state.expAvgSqCol, state.expAvgSqCol.mul(beta2).add(sq.mean(-2).mul(1 - beta2)));
      const rFactor = row.div(row.mean(-1, true)).rsqrt().unsqueeze(-1);
      const cFactor = col.unsqueeze(-2).rsqrt();
      u = rFactor.mul(cFactor).mul(grad);
    } else {
      const v = state.expAvgSq = replaceState(state.expAvgSq, state.expAvgSq!.mul(beta2).add(sq.mul(1 - beta2)));
      u = v.rsqrt().mul(grad);
    }
    u = u.div(rms(u).div(group.clipThreshold).clamp(1)).mul(alpha);
    if (group.beta1 !== null) {
      const m = state.expAvg ?? p.zerosLike();
      u = state.expAvg = replaceState(state.expAvg, m.mul(group.beta1).add(u.mul(1 - group.beta1)));
    }
    let w = p as Tensor;
    if (group.weightDecay !== 0) w = w.sub(w.mul(alpha).mul(group.weightDecay));
    p.assign(w.sub(u));
  }
}
